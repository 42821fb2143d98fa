/**
 * Convolutions and pools: Keras computes them channels-last, ONNX's Conv,
 * MaxPool and AveragePool channels-first, so the input is transposed (once,
 * see OnnxGraph.channelsFirst) and the result transposed back. `same`
 * padding is TensorFlow's: the odd pixel goes after, as ONNX's SAME_UPPER.
 */
import type { Dim } from '../../ir/types.js';
import { activationName, applyActivation, isElementwise } from './activations.js';
import { boolArg, constantOf, hostWeight, tupleArg } from './common.js';
import { int, ints, str, type Attr } from './graph.js';
import { permute } from './tensor.js';
import { unsupported, type OnnxLowerContext, type OnnxLowerableNode } from './types.js';

interface Window {
  size: number[];
  strides: number[];
  dilations: number[];
}

/** `pads` (all begins, then all ends) for known sizes, `auto_pad` where a size is only known at run time. */
function paddingAttrs(node: OnnxLowerableNode, spatial: readonly Dim[], w: Window): Record<string, Attr> {
  const padding = String(node.args.padding ?? 'valid');
  if (padding === 'valid') return {};
  if (padding !== 'same') unsupported(node, `padding \`${padding}\` has no ONNX form here`, 'use padding=valid or padding=same', 'padding');
  if (spatial.some((d) => d === null)) return { auto_pad: str('SAME_UPPER') };
  const before: number[] = [];
  const after: number[] = [];
  spatial.forEach((d, i) => {
    const n = d as number;
    const effective = (w.size[i] - 1) * w.dilations[i] + 1;
    const out = Math.ceil(n / w.strides[i]);
    const total = Math.max((out - 1) * w.strides[i] + effective - n, 0);
    before.push(Math.floor(total / 2));
    after.push(total - Math.floor(total / 2));
  });
  return before.every((p) => p === 0) && after.every((p) => p === 0) ? {} : { pads: ints([...before, ...after]) };
}

/** Conv1D / Conv2D: kernel (k..., in, out) becomes ONNX's (out, in, k...). */
export function convolution(node: OnnxLowerableNode, ctx: OnnxLowerContext, rank: 1 | 2): string {
  const { g } = ctx;
  const [x] = ctx.inputs;
  const r = rank + 2;
  const w: Window = {
    size: tupleArg(node, 'kernel_size', rank),
    strides: tupleArg(node, 'strides', rank, Array(rank).fill(1)),
    dilations: tupleArg(node, 'dilation_rate', rank, Array(rank).fill(1)),
  };
  const kernel = hostWeight(ctx, 'kernel');
  const onnxKernel = permute(kernel, [r - 1, r - 2, ...Array.from({ length: rank }, (_, i) => i)]);
  const inputs = [g.channelsFirst(x.name, r), constantOf(g, 'kernel', onnxKernel)];
  if (boolArg(node, 'use_bias', true)) inputs.push(constantOf(g, 'bias', hostWeight(ctx, 'bias')));
  const y = g.op('Conv', inputs, {
    kernel_shape: ints(w.size), strides: ints(w.strides), dilations: ints(w.dilations),
    ...paddingAttrs(node, x.shape.slice(1, -1), w),
  });
  const act = activationName(node);
  if (isElementwise(act)) return g.channelsLast(applyActivation(g, y, act, node), r);
  return applyActivation(g, g.channelsLast(y, r), act, node);
}

/** MaxPooling / AveragePooling 1D and 2D; an average leaves padding out of the count, as TensorFlow does. */
export function pool(node: OnnxLowerableNode, ctx: OnnxLowerContext, rank: 1 | 2, op: 'MaxPool' | 'AveragePool'): string {
  const { g } = ctx;
  const [x] = ctx.inputs;
  const size = tupleArg(node, 'pool_size', rank);
  const strides = node.args.strides === null || node.args.strides === undefined ? size : tupleArg(node, 'strides', rank);
  const w: Window = { size, strides, dilations: Array(rank).fill(1) };
  const y = g.op(op, [g.channelsFirst(x.name, rank + 2)], {
    kernel_shape: ints(size), strides: ints(strides),
    ...(op === 'AveragePool' ? { count_include_pad: int(0) } : {}),
    ...paddingAttrs(node, x.shape.slice(1, -1), w),
  });
  return g.channelsLast(y, rank + 2);
}

/** GlobalMax/AveragePooling 1D and 2D: a reduction over every axis but the batch and the channels. */
export function globalPool(node: OnnxLowerableNode, ctx: OnnxLowerContext, op: 'ReduceMax' | 'ReduceMean'): string {
  const { g } = ctx;
  const [x] = ctx.inputs;
  const r = x.shape.length;
  if (r < 3) unsupported(node, `global pooling needs a (batch, steps..., channels) input, got rank ${r}`, 'flatten or reshape first');
  // Reduce in the layout the input already has: after a convolution that is channels-first.
  const channelsFirst = g.hasChannelsFirst(x.name);
  const axes = Array.from({ length: r - 2 }, (_, i) => (channelsFirst ? i + 2 : i + 1));
  return g.op(op, [channelsFirst ? g.channelsFirst(x.name, r) : x.name], { axes: ints(axes), keepdims: int(0) });
}

