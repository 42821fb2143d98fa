/** The convolution rule shared by conv1d and conv2d (Keras's BaseConv), channels last. */
import type { IRNode } from '../ir/types.js';
import { activationParam, dilationOption, kernelWeightOptions, paddingOption, stridesOption, tupleArg, useBiasOption } from './params.js';
import { argError, checkLastKnown, success, weight } from './result.js';
import { knownProduct, type Padding } from './shape.js';
import type { LayerDef, ParamSpec } from './types.js';
import { bool, num, str, tfActivation, tuple, weightOptions } from '../targets/tfjs/index.js';
import { checkImageInput, checkSequenceInput, slideWindow } from './window.js';
import * as onnx from '../targets/onnx/index.js';
import { torchConv } from '../targets/torch/lowering.js';

export interface ConvMeta {
  kind: string;
  aliases: readonly string[];
  kerasClass: string;
  doc: string;
  example: string;
}

/** conv1d's padding adds Keras's `causal`: zeros on the left only, so no output step sees a later input step. */
const causalPaddingOption: ParamSpec = {
  ...paddingOption,
  arg: { type: 'enum', values: ['valid', 'same', 'causal'] },
  doc: `${paddingOption.doc} \`causal\`: pad the start only, so each output step depends on the current and earlier steps (WaveNet).`,
};

export function convDef(rank: 1 | 2, meta: ConvMeta): LayerDef {
  return {
    ...meta,
    arity: 1,
    positional: [
      { name: 'filters', arg: { type: 'int', min: 1 }, doc: 'Number of output channels (kernels).' },
      { name: 'kernel_size', arg: tupleArg(rank), doc: rank === 2 ? 'Kernel height x width; `5` means 5x5.' : 'Kernel length.' },
      activationParam(),
    ],
    options: [stridesOption(rank), rank === 1 ? causalPaddingOption : paddingOption, dilationOption(rank), useBiasOption, ...kernelWeightOptions],
    infer(node, [input]) {
      const wrongRank = rank === 2 ? checkImageInput(node, input) : checkSequenceInput(node, input);
      if (wrongRank) return wrongRank;
      const unknownChannels = checkLastKnown(node, input, 'channel');
      if (unknownChannels) return unknownChannels;
      const a = convArgs(node);
      // Keras rejects this at construction and tfjs-core at run time.
      if (a.strides.some((s) => s > 1) && a.dilation.some((d) => d > 1)) {
        return argError(node, `${node.kind} cannot combine strides > 1 with dilation_rate > 1`,
          'use either `strides` or `dilation_rate`, not both', 'dilation_rate');
      }
      // Causal padding adds dilation·(kernel − 1) zeros in front: the length is `same`'s, ceil(input / stride).
      const spatial = slideWindow(node, input, { ...a, padding: a.padding === 'causal' ? 'same' : a.padding, sizeArg: 'kernel_size', noun: 'kernel' });
      if (!Array.isArray(spatial)) return spatial;
      const inChannels = input.shape[input.shape.length - 1] as number;
      const kernelVolume = a.size.reduce((p, k) => p * k, 1);
      const weights = [weight('kernel', [...a.size, inChannels, a.filters])];
      if (a.useBias) weights.push(weight('bias', [a.filters]));
      // Each output position multiplies one kernel window by every filter.
      const macs = knownProduct(spatial) * kernelVolume * inChannels * a.filters;
      return success([null, ...spatial, a.filters], weights, macs);
    },
    targets: {
      torch: torchConv(rank),
      tfjs: (node, ctx) => ({
        factory: rank === 2 ? 'conv2d' : 'conv1d',
        // tfjs-layers cannot run causal padding, nor train a dilated conv2d: mlc's own Conv1D and Conv2D do (src/runtime/custom-layers/).
        ...(str(node, 'padding') === 'causal' || (rank === 2 && tuple(node, 'dilation_rate').some((d) => d > 1)) ? { custom: true } : {}),
        config: {
          filters: num(node, 'filters'),
          kernelSize: tuple(node, 'kernel_size'),
          strides: tuple(node, 'strides'),
          padding: str(node, 'padding'),
          dilationRate: tuple(node, 'dilation_rate'),
          activation: tfActivation(node),
          useBias: bool(node, 'use_bias'),
          ...weightOptions(node, ctx),
          name: node.name,
        },
      }),
      // ONNX's Conv is channels-first: the input is transposed (once, shared with
      // the layers around it: OnnxGraph.channelsFirst) and the result transposed back;
      // the kernel (k..., in, out) becomes (out, in, k...).
      onnx: (node, ctx) => {
        const { g } = ctx;
        const [x] = ctx.inputs;
        const r = rank + 2;
        const w = {
          size: onnx.tupleArg(node, 'kernel_size', rank),
          strides: onnx.tupleArg(node, 'strides', rank),
          dilations: onnx.tupleArg(node, 'dilation_rate', rank),
        };
        const kernel = onnx.permute(onnx.hostWeight(ctx, 'kernel'), [r - 1, r - 2, ...Array.from({ length: rank }, (_, i) => i)]);
        const inputs = [g.channelsFirst(x.name, r), onnx.constantOf(g, 'kernel', kernel)];
        if (onnx.boolArg(node, 'use_bias', true)) inputs.push(onnx.weightConstant(ctx, 'bias'));
        const y = g.op('Conv', inputs, {
          kernel_shape: onnx.ints(w.size), strides: onnx.ints(w.strides), dilations: onnx.ints(w.dilations),
          ...onnx.paddingAttrs(node, x.shape.slice(1, -1), w),
        });
        return onnx.activatedChannelsLast(g, y, r, node);
      },
    },
  };
}

function convArgs(node: IRNode) {
  return {
    filters: node.args.filters as number,
    size: node.args.kernel_size as number[],
    strides: node.args.strides as number[],
    dilation: node.args.dilation_rate as number[],
    padding: node.args.padding as Padding | 'causal',
    useBias: node.args.use_bias as boolean,
  };
}
