/** Depthwise and separable 2-D convolutions (Keras's DepthwiseConv2D and SeparableConv2D), channels last. */
import type { IRNode } from '../ir/types.js';
import { notYetInTorch } from '../targets/torch/lowering.js';
import { notYetInOnnx } from '../targets/onnx/index.js';
import { activationParam, dilationOption, paddingOption, stridesOption, tupleArg, useBiasOption } from './params.js';
import { argError, checkLastKnown, success, weight } from './result.js';
import { knownProduct, type Padding } from './shape.js';
import type { LayerDef, ParamSpec } from './types.js';
import { bool, num, seededInitializer, str, tfActivation, tuple, type LowerContext, type TfConfigValue } from '../targets/tfjs/index.js';
import { checkImageInput, slideWindow } from './window.js';

const depthMultiplier: ParamSpec = {
  name: 'depth_multiplier',
  arg: { type: 'int', min: 1 },
  default: 1,
  doc: 'Output channels per input channel of the depthwise step.',
};

const kernelSize: ParamSpec = { name: 'kernel_size', arg: tupleArg(2), doc: 'Kernel height x width; `3` means 3x3.' };

/** The spatial output and the input channels, or the failure; shared by both kinds. */
function depthwiseWindow(node: IRNode, input: Parameters<LayerDef['infer']>[1][number]) {
  const wrong = checkImageInput(node, input) ?? checkLastKnown(node, input, 'channel');
  if (wrong) return wrong;
  const strides = node.args.strides as number[];
  const dilation = node.args.dilation_rate as number[];
  if (strides.some((s) => s > 1) && dilation.some((d) => d > 1)) {
    return argError(node, `${node.kind} cannot combine strides > 1 with dilation_rate > 1`, 'use either `strides` or `dilation_rate`, not both', 'dilation_rate');
  }
  const spatial = slideWindow(node, input, {
    size: node.args.kernel_size as number[], strides, dilation, padding: node.args.padding as Padding, sizeArg: 'kernel_size', noun: 'kernel',
  });
  if (!Array.isArray(spatial)) return spatial;
  return { spatial, channels: input.shape[3] as number };
}

/** Seeded initializers of the depthwise (and pointwise) kernels, when the run is seeded. */
function seeded(ctx: LowerContext, keys: string[]): Record<string, TfConfigValue> {
  if (ctx.seed === undefined) return {};
  return Object.fromEntries(keys.map((k, i) => [k, seededInitializer('GlorotUniform', ctx.seed! + i)]));
}

function windowConfig(node: Parameters<LayerDef['targets']['tfjs']>[0]): Record<string, TfConfigValue> {
  return {
    kernelSize: tuple(node, 'kernel_size'),
    strides: tuple(node, 'strides'),
    padding: str(node, 'padding'),
    dilationRate: tuple(node, 'dilation_rate'),
    depthMultiplier: num(node, 'depth_multiplier'),
    activation: tfActivation(node),
    useBias: bool(node, 'use_bias'),
  };
}

export const depthwiseconv2d: LayerDef = {
  kind: 'depthwiseconv2d',
  aliases: [],
  kerasClass: 'DepthwiseConv2D',
  doc: 'Convolves each input channel with its own kernels (depth_multiplier per channel), without mixing channels.',
  example: 'depthwiseconv2d 3 relu padding=same',
  arity: 1,
  positional: [kernelSize, activationParam()],
  options: [stridesOption(2), paddingOption, depthMultiplier, dilationOption(2), useBiasOption],
  infer(node, [input]) {
    const w = depthwiseWindow(node, input);
    if ('ok' in w) return w;
    const k = node.args.kernel_size as number[];
    const dm = node.args.depth_multiplier as number;
    const weights = [weight('depthwise_kernel', [k[0], k[1], w.channels, dm])];
    if (node.args.use_bias) weights.push(weight('bias', [w.channels * dm]));
    return success([null, ...w.spatial, w.channels * dm], weights, knownProduct(w.spatial) * k[0] * k[1] * w.channels * dm);
  },
  targets: {
    torch: notYetInTorch,
    onnx: notYetInOnnx,
    tfjs: (node, ctx) => ({
      factory: 'depthwiseConv2d',
      config: { ...windowConfig(node), ...seeded(ctx, ['depthwiseInitializer']), name: node.name },
    }),
  },
};

export const separableconv2d: LayerDef = {
  kind: 'separableconv2d',
  aliases: [],
  kerasClass: 'SeparableConv2D',
  doc: 'A depthwise convolution followed by a 1x1 convolution that mixes the channels into `filters` outputs (fewer weights than conv).',
  example: 'separableconv2d 64 3 relu padding=same',
  arity: 1,
  positional: [{ name: 'filters', arg: { type: 'int', min: 1 }, doc: 'Number of output channels.' }, kernelSize, activationParam()],
  options: [stridesOption(2), paddingOption, depthMultiplier, dilationOption(2), useBiasOption],
  infer(node, [input]) {
    const w = depthwiseWindow(node, input);
    if ('ok' in w) return w;
    const k = node.args.kernel_size as number[];
    const dm = node.args.depth_multiplier as number;
    const filters = node.args.filters as number;
    const weights = [weight('depthwise_kernel', [k[0], k[1], w.channels, dm]), weight('pointwise_kernel', [1, 1, w.channels * dm, filters])];
    if (node.args.use_bias) weights.push(weight('bias', [filters]));
    const positions = knownProduct(w.spatial);
    return success([null, ...w.spatial, filters], weights, positions * (k[0] * k[1] * w.channels * dm + w.channels * dm * filters));
  },
  targets: {
    torch: notYetInTorch,
    onnx: notYetInOnnx,
    tfjs: (node, ctx) => ({
      factory: 'separableConv2d',
      config: { filters: num(node, 'filters'), ...windowConfig(node), ...seeded(ctx, ['depthwiseInitializer', 'pointwiseInitializer']), name: node.name },
    }),
  },
};
