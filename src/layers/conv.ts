/** The convolution rule shared by conv1d and conv2d (Keras's BaseConv), channels last. */
import type { IRNode } from '../ir/types.js';
import { activationParam, dilationOption, paddingOption, stridesOption, tupleArg, useBiasOption } from './params.js';
import { argError, checkLastKnown, success, weight } from './result.js';
import { knownProduct, type Padding } from './shape.js';
import type { LayerDef } from './types.js';
import { bool, kernelInitializers, num, str, tfActivation, tuple } from '../targets/tfjs/index.js';
import { torchConv } from '../targets/torch/lowering.js';
import { checkImageInput, checkSequenceInput, slideWindow } from './window.js';

export interface ConvMeta {
  kind: string;
  aliases: readonly string[];
  kerasClass: string;
  doc: string;
  example: string;
}

export function convDef(rank: 1 | 2, meta: ConvMeta): LayerDef {
  return {
    ...meta,
    arity: 1,
    positional: [
      { name: 'filters', arg: { type: 'int', min: 1 }, doc: 'Number of output channels (kernels).' },
      { name: 'kernel_size', arg: tupleArg(rank), doc: rank === 2 ? 'Kernel height x width; `5` means 5x5.' : 'Kernel length.' },
      activationParam(),
    ],
    options: [stridesOption(rank), paddingOption, dilationOption(rank), useBiasOption],
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
      // TensorFlow.js runs a conv2d without activation as a fused op even while
      // training, and that op's gradient, which mlc cannot replace, refuses
      // dilations above 1; with an activation the convolution runs unfused and
      // mlc's own gradient (src/runtime/kernels/dilated-conv-gradient.ts) trains it.
      if (rank === 2 && a.dilation.some((d) => d > 1) && node.args.activation === 'linear') {
        return argError(node, `conv2d with dilation_rate=${a.dilation.join('x')} and no activation cannot be trained on TensorFlow.js: the fused convolution it runs has no gradient for dilations above 1`,
          'give the layer an activation (e.g. `relu`), or use dilation_rate=1', 'dilation_rate');
      }
      const spatial = slideWindow(node, input, { ...a, sizeArg: 'kernel_size', noun: 'kernel' });
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
      tfjs: (node, ctx) => ({
        factory: rank === 2 ? 'conv2d' : 'conv1d',
        config: {
          filters: num(node, 'filters'),
          kernelSize: tuple(node, 'kernel_size'),
          strides: tuple(node, 'strides'),
          padding: str(node, 'padding'),
          dilationRate: tuple(node, 'dilation_rate'),
          activation: tfActivation(node),
          useBias: bool(node, 'use_bias'),
          ...kernelInitializers(ctx),
          name: node.name,
        },
      }),
      torch: torchConv(rank),
    },
  };
}

function convArgs(node: IRNode) {
  return {
    filters: node.args.filters as number,
    size: node.args.kernel_size as number[],
    strides: node.args.strides as number[],
    dilation: node.args.dilation_rate as number[],
    padding: node.args.padding as Padding,
    useBias: node.args.use_bias as boolean,
  };
}
