/** The pooling rule shared by max/avg pooling in 1-D and 2-D (Keras's Pooling1D/Pooling2D). */
import { paddingOption, tupleArg } from './params.js';
import { success } from './result.js';
import type { Padding } from './shape.js';
import type { LayerDef } from './types.js';
import { str, tuple } from '../targets/tfjs/index.js';
import { checkImageInput, checkSequenceInput, slideWindow } from './window.js';
import * as onnx from '../targets/onnx/index.js';
import { torchPool } from '../targets/torch/lowering.js';

export interface PoolMeta {
  kind: string;
  aliases: readonly string[];
  kerasClass: string;
  doc: string;
  example: string;
  /** The tfjs-layers factory, e.g. `maxPooling2d`. */
  tfjsFactory: string;
  /** The ONNX op. */
  onnxOp: 'MaxPool' | 'AveragePool';
}

export function poolDef(rank: 1 | 2, meta: PoolMeta): LayerDef {
  const two = Array(rank).fill(2);
  const { tfjsFactory, onnxOp, ...names } = meta;
  return {
    ...names,
    arity: 1,
    positional: [
      { name: 'pool_size', arg: tupleArg(rank), default: two, doc: rank === 2 ? 'Window height x width; `2` means 2x2.' : 'Window length.' },
    ],
    options: [
      {
        name: 'strides',
        aliases: ['stride'],
        arg: tupleArg(rank),
        default: null,
        defaultFrom: 'pool_size',
        doc: 'Step of the window; by default the pool size (windows do not overlap).',
      },
      paddingOption,
    ],
    // Pooling has no weights, and its comparisons or additions are not
    // multiply-accumulates: 0 MACs (see InferResult.macs).
    infer(node, [input]) {
      const wrongRank = rank === 2 ? checkImageInput(node, input) : checkSequenceInput(node, input);
      if (wrongRank) return wrongRank;
      const size = node.args.pool_size as number[];
      // null: not written and not filled by the lowering; Keras's default is the pool size.
      const strides = (node.args.strides as number[] | null | undefined) ?? size;
      const spatial = slideWindow(node, input, {
        size,
        strides,
        dilation: size.map(() => 1),
        padding: node.args.padding as Padding,
        sizeArg: 'pool_size',
        noun: 'pool',
      });
      if (!Array.isArray(spatial)) return spatial;
      return success([null, ...spatial, input.shape[input.shape.length - 1]], [], 0);
    },
    targets: {
      torch: torchPool(rank, onnxOp === 'MaxPool' ? 'max' : 'avg'),
      tfjs: (node) => {
        const poolSize = tuple(node, 'pool_size');
        // An IR may keep strides null: Keras's "same as the pool size".
        const strides = node.args.strides === null ? poolSize : tuple(node, 'strides');
        return { factory: tfjsFactory, config: { poolSize, strides, padding: str(node, 'padding'), name: node.name } };
      },
      // Channels-first like Conv; an average leaves padding out of the count, as TensorFlow does.
      onnx: (node, ctx) => {
        const { g } = ctx;
        const [x] = ctx.inputs;
        const size = onnx.tupleArg(node, 'pool_size', rank);
        const strides = node.args.strides === null ? size : onnx.tupleArg(node, 'strides', rank);
        const y = g.op(onnxOp, [g.channelsFirst(x.name, rank + 2)], {
          kernel_shape: onnx.ints(size), strides: onnx.ints(strides),
          ...(onnxOp === 'AveragePool' ? { count_include_pad: onnx.int(0) } : {}),
          ...onnx.paddingAttrs(node, x.shape.slice(1, -1), { size, strides, dilations: size.map(() => 1) }),
        });
        return g.channelsLast(y, rank + 2);
      },
    },
  };
}
