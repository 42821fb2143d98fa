/** Depthwise and separable 2-D convolutions (Keras's DepthwiseConv2D and SeparableConv2D), channels last. */
import type { IRNode } from '../ir/types.js';
import { kw, lastDim, lit, pyCall, pyTuple, type TorchLayer } from '../targets/torch/lowering.js';
import * as onnx from '../targets/onnx/index.js';
import { activationParam, depthwiseWeightOptions, dilationOption, paddingOption, separableWeightOptions, stridesOption, tupleArg, useBiasOption } from './params.js';
import { argError, checkLastKnown, success, weight } from './result.js';
import { knownProduct, type Padding } from './shape.js';
import type { LayerDef, ParamSpec } from './types.js';
import { bool, num, seededInitializer, str, tfActivation, tuple, weightOptions, type LowerContext, type TfConfigValue } from '../targets/tfjs/index.js';
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

/** Seeded default initializers of the depthwise (and pointwise) kernels, when the run is seeded; weightOptions replaces those the spec chose. */
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

/**
 * The depthwise step as ONNX's grouped Conv (one group per input channel) on
 * the channels-first input: Keras's kernel (kh, kw, c, m) becomes (c·m, 1, kh, kw),
 * output channel c·m + j being input channel c's j-th kernel, as in Keras.
 */
function depthwiseOnnx(node: onnx.OnnxLowerableNode, ctx: onnx.OnnxLowerContext, withBias: boolean): string {
  const { g } = ctx;
  const [x] = ctx.inputs;
  const w = { size: onnx.tupleArg(node, 'kernel_size', 2), strides: onnx.tupleArg(node, 'strides', 2), dilations: onnx.tupleArg(node, 'dilation_rate', 2) };
  const k = onnx.permute(onnx.hostWeight(ctx, 'depthwise_kernel'), [2, 3, 0, 1]);
  const [channels, multiplier] = k.shape;
  const kernel = onnx.constantOf(g, 'depthwise_kernel', { shape: [channels * multiplier, 1, w.size[0], w.size[1]], data: k.data });
  const inputs = [g.channelsFirst(x.name, 4), kernel];
  if (withBias) inputs.push(onnx.weightConstant(ctx, 'bias'));
  return g.op('Conv', inputs, {
    group: onnx.int(channels), kernel_shape: onnx.ints(w.size), strides: onnx.ints(w.strides), dilations: onnx.ints(w.dilations),
    ...onnx.paddingAttrs(node, x.shape.slice(1, -1), w),
  }, 'DepthwiseConv');
}

/** Both kinds on PyTorch: a grouped convolution, channels-first, and for separableconv2d the 1x1 one after it. */
const torchDepthwise = (separable: boolean): TorchLayer => ({
  wants: 'first',
  module: (n, ctx) => pyCall('KerasDepthwiseConv', [
    kw('in_channels', String(lastDim(ctx))), kw('depth_multiplier', lit(n.args.depth_multiplier)), kw('kernel_size', pyTuple(n.args.kernel_size)),
    kw('strides', pyTuple(n.args.strides)), kw('padding', lit(n.args.padding)), kw('dilation_rate', pyTuple(n.args.dilation_rate)),
    kw('activation', lit(n.args.activation ?? 'linear')), kw('use_bias', lit(n.args.use_bias ?? true)),
    ...(separable ? [kw('filters', lit(n.args.filters))] : []),
  ]),
});

export const depthwiseconv2d: LayerDef = {
  kind: 'depthwiseconv2d',
  aliases: [],
  kerasClass: 'DepthwiseConv2D',
  doc: 'Convolves each input channel with its own kernels (depth_multiplier per channel), without mixing channels.',
  example: 'depthwiseconv2d 3 relu padding=same',
  arity: 1,
  positional: [kernelSize, activationParam()],
  options: [stridesOption(2), paddingOption, depthMultiplier, dilationOption(2), useBiasOption, ...depthwiseWeightOptions],
  infer(node, [input]) {
    // tfjs-layers' DepthwiseConv2D drops dilation_rate (a 3x3 kernel with dilation 2 on 9x9 gives 7x7, not Keras's 5x5).
    if ((node.args.dilation_rate as number[]).some((d) => d > 1)) {
      return argError(node, 'depthwiseconv2d with dilation_rate > 1 cannot run on TensorFlow.js, which ignores the dilation of this layer',
        'use dilation_rate=1, or a separableconv2d (whose depthwise step honours it)', 'dilation_rate');
    }
    const w = depthwiseWindow(node, input);
    if ('ok' in w) return w;
    const k = node.args.kernel_size as number[];
    const dm = node.args.depth_multiplier as number;
    const weights = [weight('depthwise_kernel', [k[0], k[1], w.channels, dm])];
    if (node.args.use_bias) weights.push(weight('bias', [w.channels * dm]));
    return success([null, ...w.spatial, w.channels * dm], weights, knownProduct(w.spatial) * k[0] * k[1] * w.channels * dm);
  },
  targets: {
    torch: torchDepthwise(false),
    onnx: (node, ctx) => onnx.activatedChannelsLast(ctx.g, depthwiseOnnx(node, ctx, onnx.boolArg(node, 'use_bias', true)), 4, node),
    tfjs: (node, ctx) => ({
      factory: 'depthwiseConv2d',
      // tfjs's own saves a depthwise regularizer as a constraint: mlc's class (src/runtime/custom-layers/depthwise.ts) does not.
      ...(node.args.depthwise_regularizer ? { custom: true } : {}),
      config: { ...windowConfig(node), ...seeded(ctx, ['depthwiseInitializer']), ...weightOptions(node, ctx, ['depthwise', 'bias']), name: node.name },
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
  options: [stridesOption(2), paddingOption, depthMultiplier, dilationOption(2), useBiasOption, ...separableWeightOptions],
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
    torch: torchDepthwise(true),
    // The depthwise step, then a 1x1 Conv whose kernel (1, 1, c·m, filters) becomes (filters, c·m, 1, 1), with the bias.
    onnx: (node, ctx) => {
      const { g } = ctx;
      const depthwise = depthwiseOnnx(node, ctx, false);
      const pointwise = onnx.constantOf(g, 'pointwise_kernel', onnx.permute(onnx.hostWeight(ctx, 'pointwise_kernel'), [3, 2, 0, 1]));
      const inputs = [depthwise, pointwise];
      if (onnx.boolArg(node, 'use_bias', true)) inputs.push(onnx.weightConstant(ctx, 'bias'));
      return onnx.activatedChannelsLast(g, g.op('Conv', inputs, { kernel_shape: onnx.ints([1, 1]) }, 'PointwiseConv'), 4, node);
    },
    tfjs: (node, ctx) => ({
      factory: 'separableConv2d',
      // tfjs's own draws the pointwise kernel with the depthwise initializer: mlc's class (src/runtime/custom-layers/depthwise.ts) does not.
      ...(node.args.depthwise_initializer || node.args.pointwise_initializer ? { custom: true } : {}),
      config: {
        filters: num(node, 'filters'),
        ...windowConfig(node),
        ...seeded(ctx, ['depthwiseInitializer', 'pointwiseInitializer']),
        ...weightOptions(node, ctx, ['depthwise', 'pointwise', 'bias']),
        name: node.name,
      },
    }),
  },
};
