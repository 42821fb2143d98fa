/**
 * Global pooling: one value per channel over every step (3-D input) or every
 * pixel (4-D input). The Keras class depends on that rank: naming settles it
 * (see classForRank), and infer refuses an IR whose class disagrees.
 */
import { shapeError, success } from './result.js';
import { formatShape } from './shape.js';
import type { LayerDef } from './types.js';
import * as onnx from '../targets/onnx/index.js';
import { torchGlobalPool } from '../targets/torch/lowering.js';

/** tfjs-layers factories of the Keras classes (it has 1D and 2D global pooling). */
const TFJS_FACTORIES: Record<string, string> = {
  GlobalMaxPooling1D: 'globalMaxPooling1d',
  GlobalMaxPooling2D: 'globalMaxPooling2d',
  GlobalAveragePooling1D: 'globalAveragePooling1d',
  GlobalAveragePooling2D: 'globalAveragePooling2d',
};

export function globalPoolDef(meta: {
  kind: string;
  classPrefix: string;
  /** The ONNX reduction over the steps or pixels. */
  onnxReduce: 'ReduceMax' | 'ReduceMean';
  doc: string;
  example: string;
}): LayerDef {
  return {
    kind: meta.kind,
    aliases: [],
    kerasClass: `${meta.classPrefix}2D`,
    // (batch, steps, channels) is the 1D class, (batch, height, width, channels) the 2D one.
    classForRank: (rank) => `${meta.classPrefix}${rank === 3 ? 1 : 2}D`,
    outputRank: () => 2,
    arity: 1,
    doc: meta.doc,
    example: meta.example,
    positional: [],
    options: [],
    infer(node, [input]) {
      const rank = input.shape.length;
      if (rank !== 3 && rank !== 4) {
        const help = rank === 2
          ? `the input is already flat: remove \`${node.kind}\`, or put it before \`flatten\``
          : 'global pooling reduces (batch, steps, channels) or (batch, height, width, channels); add a `reshape` before it';
        return shapeError(node,
          `${node.kind} expects a 3-D (batch, steps, channels) or 4-D (batch, height, width, channels) input; got ${formatShape(input.shape)}`,
          help);
      }
      // Comparisons or additions only: 0 MACs.
      const expected = `${meta.classPrefix}${rank - 2}D`;
      if (node.kerasClass !== expected) {
        return shapeError(node, `${node.kind} \`${node.name}\` is a ${node.kerasClass}, but its ${rank}-D input ${formatShape(input.shape)} needs ${expected}`,
          `set its kerasClass to ${expected}, or regenerate the IR with \`mlc ir\``);
      }
      return success([null, input.shape[rank - 1]], [], 0);
    },
    targets: {
      torch: torchGlobalPool(meta.classPrefix === 'GlobalMaxPooling' ? 'max' : 'avg'),
      // The class was settled from the input's rank when the layer was named; infer refused other ranks.
      tfjs: (node) => ({ factory: TFJS_FACTORIES[node.kerasClass], config: { name: node.name } }),
      // A reduction over every axis but the batch and the channels, in the layout
      // the input already has (channels-first after a convolution).
      onnx: (_node, ctx) => {
        const { g } = ctx;
        const [x] = ctx.inputs;
        const r = x.shape.length;
        const channelsFirst = g.hasChannelsFirst(x.name);
        const axes = Array.from({ length: r - 2 }, (_, i) => (channelsFirst ? i + 2 : i + 1));
        return g.op(meta.onnxReduce, [channelsFirst ? g.channelsFirst(x.name, r) : x.name], { axes: onnx.ints(axes), keepdims: onnx.int(0) });
      },
    },
  };
}
