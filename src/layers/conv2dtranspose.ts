import { activationParam, paddingOption, stridesOption, tupleArg, useBiasOption } from './params.js';
import { checkLastKnown, success, weight } from './result.js';
import { kw, lastDim, lit, pyCall, pyTuple } from '../targets/torch/lowering.js';
import * as onnx from '../targets/onnx/index.js';
import { knownProduct } from './shape.js';
import type { LayerDef } from './types.js';
import { bool, kernelInitializers, num, str, tfActivation, tuple } from '../targets/tfjs/index.js';
import { checkImageInput } from './window.js';

/** Keras's deconv_output_length without output_padding: valid grows by max(kernel − stride, 0), same is input·stride. */
function transposedLength(input: number | null, kernel: number, stride: number, padding: string): number | null {
  if (input === null) return null;
  return padding === 'same' ? input * stride : input * stride + Math.max(kernel - stride, 0);
}

export const conv2dtranspose: LayerDef = {
  kind: 'conv2dtranspose',
  aliases: ['deconv2d'],
  kerasClass: 'Conv2DTranspose',
  doc: 'Transposed 2-D convolution ("deconvolution"): upsamples an image by strides, e.g. in a decoder or an autoencoder.',
  example: 'conv2dtranspose 32 3 relu strides=2 padding=same',
  arity: 1,
  positional: [
    { name: 'filters', arg: { type: 'int', min: 1 }, doc: 'Number of output channels.' },
    { name: 'kernel_size', arg: tupleArg(2), doc: 'Kernel height x width; `3` means 3x3.' },
    activationParam(),
  ],
  options: [stridesOption(2), paddingOption, useBiasOption],
  infer(node, [input]) {
    const wrongRank = checkImageInput(node, input) ?? checkLastKnown(node, input, 'channel');
    if (wrongRank) return wrongRank;
    const filters = node.args.filters as number;
    const kernel = node.args.kernel_size as number[];
    const strides = node.args.strides as number[];
    const padding = node.args.padding as string;
    const [, h, w, inChannels] = input.shape as [null, number | null, number | null, number];
    const spatial = [transposedLength(h, kernel[0], strides[0], padding), transposedLength(w, kernel[1], strides[1], padding)];
    // Keras's kernel is (kh, kw, filters, in_channels): the transpose of a conv2d's.
    const weights = [weight('kernel', [kernel[0], kernel[1], filters, inChannels])];
    if (node.args.use_bias) weights.push(weight('bias', [filters]));
    // Every input position scatters one kernel window into every filter.
    const macs = knownProduct([h, w]) * kernel[0] * kernel[1] * inChannels * filters;
    return success([null, ...spatial, filters], weights, macs);
  },
  targets: {
    torch: {
      wants: 'first',
      module: (n, ctx) => pyCall('KerasConvTranspose', [
        kw('rank', '2'), kw('in_channels', String(lastDim(ctx))), kw('filters', lit(n.args.filters)), kw('kernel_size', pyTuple(n.args.kernel_size)),
        kw('strides', pyTuple(n.args.strides)), kw('padding', lit(n.args.padding)), kw('activation', lit(n.args.activation ?? 'linear')),
        kw('use_bias', lit(n.args.use_bias ?? true)),
      ]),
    },
    // ONNX's ConvTranspose, channels-first, with Keras's kernel (kh, kw, filters, in) as (in, filters, kh, kw).
    // The full result is (in − 1)·stride + kernel long; Keras's length (transposedLength) is reached by cutting
    // TensorFlow's `same` padding off (the odd one at the end) or, where kernel < stride, by zeros at the end (output_padding).
    onnx: (node, ctx) => {
      const { g } = ctx;
      const [x] = ctx.inputs;
      const size = onnx.tupleArg(node, 'kernel_size', 2);
      const strides = onnx.tupleArg(node, 'strides', 2);
      const same = node.args.padding === 'same';
      const cut = size.map((k, i) => (same ? Math.max(k - strides[i], 0) : 0));
      const before = cut.map((c) => Math.floor(c / 2));
      const after = cut.map((c, i) => c - before[i]);
      const kernel = onnx.constantOf(g, 'kernel', onnx.permute(onnx.hostWeight(ctx, 'kernel'), [3, 2, 0, 1]));
      const inputs = [g.channelsFirst(x.name, 4), kernel];
      if (onnx.boolArg(node, 'use_bias', true)) inputs.push(onnx.weightConstant(ctx, 'bias'));
      const y = g.op('ConvTranspose', inputs, {
        kernel_shape: onnx.ints(size), strides: onnx.ints(strides), pads: onnx.ints([...before, ...after]),
        output_padding: onnx.ints(size.map((k, i) => Math.max(strides[i] - k, 0))),
      });
      return onnx.activatedChannelsLast(g, y, 4, node);
    },
    tfjs: (node, ctx) => ({
      factory: 'conv2dTranspose',
      config: {
        filters: num(node, 'filters'),
        kernelSize: tuple(node, 'kernel_size'),
        strides: tuple(node, 'strides'),
        padding: str(node, 'padding'),
        activation: tfActivation(node),
        useBias: bool(node, 'use_bias'),
        ...kernelInitializers(ctx),
        name: node.name,
      },
    }),
  },
};
