/**
 * The transposed-convolution rule shared by conv1dtranspose and
 * conv2dtranspose (Keras's BaseConvTranspose), channels last. Lengths follow
 * Keras 3 (keras/src/backend/common/backend_utils.py,
 * _get_output_shape_given_tf_padding): with K = (kernel − 1)·dilation + 1,
 *   valid: (n − 1)·stride + K + output_padding, output_padding defaulting to max(K, stride) − K;
 *   same:  n·stride without output_padding, else (n − 1)·stride + K mod 2 + output_padding.
 */
import { activationParam, dilationOption, kernelWeightOptions, paddingOption, stridesOption, tupleArg, useBiasOption } from './params.js';
import { argError, checkLastKnown, success, weight } from './result.js';
import { knownProduct } from './shape.js';
import type { LayerDef } from './types.js';
import { kw, lastDim, lit, pyCall, pyTuple } from '../targets/torch/lowering.js';
import * as onnx from '../targets/onnx/index.js';
import { bool, num, str, tfActivation, tuple, weightOptions, type LowerableNode } from '../targets/tfjs/index.js';
import { checkImageInput, checkSequenceInput } from './window.js';
import type { ConvMeta } from './conv.js';

/** The kernel's extent once dilated: (kernel − 1)·dilation + 1. */
export function dilatedKernel(kernel: number, dilation: number): number {
  return (kernel - 1) * dilation + 1;
}

/** Keras's output length of a transposed convolution along one axis; `outputPadding` null is Keras's None. */
export function transposedLength(input: number | null, kernel: number, stride: number, padding: string, outputPadding: number | null, dilation = 1): number | null {
  if (input === null) return null;
  const k = dilatedKernel(kernel, dilation);
  if (padding === 'valid') return (input - 1) * stride + k + (outputPadding ?? Math.max(k, stride) - k);
  return outputPadding === null ? input * stride : (input - 1) * stride + (k % 2) + outputPadding;
}

/**
 * Per axis, how much longer the full transposed convolution ((n − 1)·stride + K) is than Keras's length: cut that much
 * (TensorFlow's padding, the odd one at the end), or where negative, add that many zeros at the end. It does not depend on n.
 */
function transposedCut(size: number[], strides: number[], dilations: number[], padding: string, outputPadding: number[] | null): number[] {
  // With n = 1 the full length is K.
  return size.map((k, i) => dilatedKernel(k, dilations[i]!) - transposedLength(1, k, strides[i]!, padding, outputPadding?.[i] ?? null, dilations[i])!);
}

/** output_padding as the IR holds it: absent (Keras's None) or one integer per spatial axis. */
function outputPaddingOf(node: LowerableNode): number[] | null {
  const v = node.args.output_padding;
  return Array.isArray(v) ? (v as number[]) : null;
}

export function convTransposeDef(rank: 1 | 2, meta: ConvMeta): LayerDef {
  return {
    ...meta,
    arity: 1,
    positional: [
      { name: 'filters', arg: { type: 'int', min: 1 }, doc: 'Number of output channels.' },
      { name: 'kernel_size', arg: tupleArg(rank), doc: rank === 2 ? 'Kernel height x width; `3` means 3x3.' : 'Kernel length.' },
      activationParam(),
    ],
    options: [
      stridesOption(rank),
      paddingOption,
      {
        name: 'output_padding',
        arg: { type: 'tuple', length: rank, min: 0 },
        optional: true,
        doc: 'Extra rows/columns added at the end of the output, each less than its stride; sets the output length exactly (Keras\'s formula), where leaving it out infers it.',
      },
      dilationOption(rank),
      useBiasOption,
      ...kernelWeightOptions,
    ],
    infer(node, [input]) {
      const wrongRank = (rank === 2 ? checkImageInput(node, input) : checkSequenceInput(node, input)) ?? checkLastKnown(node, input, 'channel');
      if (wrongRank) return wrongRank;
      const filters = node.args.filters as number;
      const kernel = node.args.kernel_size as number[];
      const strides = node.args.strides as number[];
      const dilation = node.args.dilation_rate as number[];
      const padding = node.args.padding as string;
      const outputPadding = outputPaddingOf(node);
      // Keras refuses both at construction (BaseConvTranspose.__init__).
      if (strides.some((s) => s > 1) && dilation.some((d) => d > 1)) {
        return argError(node, `${node.kind} cannot combine strides > 1 with dilation_rate > 1`, 'use either `strides` or `dilation_rate`, not both', 'dilation_rate');
      }
      if (outputPadding) {
        const axis = outputPadding.findIndex((p, i) => p >= strides[i]!);
        if (axis >= 0) {
          return argError(node, `${node.kind} output_padding ${outputPadding[axis]} must be less than its stride ${strides[axis]}`,
            `use an output_padding from 0 to ${strides[axis]! - 1} on that axis (Keras's rule), or a larger stride`, 'output_padding');
        }
        // An even dilated kernel with padding=same and no output padding gives (n − 1)·stride, one step too short for any
        // convolution to map back onto n: TensorFlow (and TensorFlow.js) refuse to run it.
        const tooShort = outputPadding.findIndex((p, i) => padding === 'same' && dilatedKernel(kernel[i]!, dilation[i]!) % 2 === 0 && p === 0);
        if (tooShort >= 0) {
          return argError(node, `${node.kind} with padding=same, an even kernel and output_padding 0 gives an output TensorFlow cannot compute ((n − 1)·stride long)`,
            'give output_padding ≥ 1 on that axis, or leave output_padding out (the output is then n·stride long)', 'output_padding');
        }
      }
      const inChannels = input.shape[input.shape.length - 1] as number;
      const lengths = input.shape.slice(1, -1) as (number | null)[];
      const spatial = lengths.map((n, i) => transposedLength(n, kernel[i]!, strides[i]!, padding, outputPadding?.[i] ?? null, dilation[i]));
      // Keras's kernel is (k..., filters, in_channels): the transpose of a convolution's.
      const weights = [weight('kernel', [...kernel, filters, inChannels])];
      if (node.args.use_bias) weights.push(weight('bias', [filters]));
      // Every input position scatters one kernel window into every filter.
      const macs = knownProduct(lengths) * kernel.reduce((p, k) => p * k, 1) * inChannels * filters;
      return success([null, ...spatial, filters], weights, macs);
    },
    targets: {
      // KerasConvTranspose (src/targets/torch/runtime-py.ts) with the cut or the extra zeros that make Keras's length, as for ONNX.
      torch: {
        wants: 'first',
        module: (n, ctx) => {
          const size = n.args.kernel_size as number[];
          const strides = n.args.strides as number[];
          const dilation = n.args.dilation_rate as number[];
          const cut = transposedCut(size, strides, dilation, n.args.padding as string, outputPaddingOf(n));
          return pyCall('KerasConvTranspose', [
            kw('rank', String(rank)), kw('in_channels', String(lastDim(ctx))), kw('filters', lit(n.args.filters)), kw('kernel_size', pyTuple(size)),
            kw('strides', pyTuple(strides)), kw('dilation_rate', pyTuple(dilation)),
            kw('crops', lit(cut.map((c) => (c > 0 ? [Math.floor(c / 2), c - Math.floor(c / 2)] : [0, 0])))), kw('extra', lit(cut.map((c) => (c < 0 ? -c : 0)))),
            kw('activation', lit(n.args.activation)), kw('use_bias', lit(n.args.use_bias)),
          ]);
        },
      },
      // ONNX's ConvTranspose, channels-first, with Keras's kernel (k..., filters, in) as (in, filters, k...). Its full result
      // is (n − 1)·stride + K long; Keras's length L is reached by cutting P = (n − 1)·stride + K − L (TensorFlow's
      // padding: the odd one at the end) or, where P < 0, by −P zeros at the end (ONNX's output_padding). P does not depend on n.
      onnx: (node, ctx) => {
        const { g } = ctx;
        const [x] = ctx.inputs;
        const r = rank + 2;
        const size = onnx.tupleArg(node, 'kernel_size', rank);
        const strides = onnx.tupleArg(node, 'strides', rank);
        const dilations = onnx.tupleArg(node, 'dilation_rate', rank, Array(rank).fill(1));
        const outputPadding = outputPaddingOf(node);
        const padding = node.args.padding === 'same' ? 'same' : 'valid';
        const cut = transposedCut(size, strides, dilations, padding, outputPadding);
        const before = cut.map((c) => (c > 0 ? Math.floor(c / 2) : 0));
        const after = cut.map((c, i) => (c > 0 ? c - before[i]! : 0));
        const order = [r - 1, r - 2, ...Array.from({ length: rank }, (_, i) => i)];
        const kernel = onnx.constantOf(g, 'kernel', onnx.permute(onnx.hostWeight(ctx, 'kernel'), order));
        const inputs = [g.channelsFirst(x.name, r), kernel];
        if (onnx.boolArg(node, 'use_bias', true)) inputs.push(onnx.weightConstant(ctx, 'bias'));
        const y = g.op('ConvTranspose', inputs, {
          kernel_shape: onnx.ints(size), strides: onnx.ints(strides), dilations: onnx.ints(dilations), pads: onnx.ints([...before, ...after]),
          output_padding: onnx.ints(cut.map((c) => (c < 0 ? -c : 0))),
        });
        return onnx.activatedChannelsLast(g, y, r, node);
      },
      tfjs: (node, ctx) => {
        const outputPadding = outputPaddingOf(node);
        const dilation = tuple(node, 'dilation_rate');
        // tfjs-layers' Conv2DTranspose has neither output_padding nor dilation, and there is no Conv1DTranspose:
        // mlc's own layers (src/runtime/custom-layers/conv-transpose.ts) run those.
        const builtin = rank === 2 && outputPadding === null && dilation.every((d) => d === 1);
        return {
          factory: rank === 2 ? 'conv2dTranspose' : 'conv1dTranspose',
          ...(builtin ? {} : { custom: true }),
          config: {
            filters: num(node, 'filters'),
            kernelSize: tuple(node, 'kernel_size'),
            strides: tuple(node, 'strides'),
            padding: str(node, 'padding'),
            ...(builtin ? {} : { dilationRate: dilation, outputPadding }),
            activation: tfActivation(node),
            useBias: bool(node, 'use_bias'),
            // mlc's own layers take tfjs's weight options too: they build their weights with tfjs's BaseConv's.
            ...weightOptions(node, ctx),
            name: node.name,
          },
        };
      },
    },
  };
}
