/**
 * Every layer kind's ONNX lowering, keyed by the IR kind. A test checks that
 * each kind in LAYER_DEFS (src/ir/layers) has an entry here.
 */
import { activationName, applyActivation, isElementwise } from './activations.js';
import { boolArg, elementwise, hostWeight, numArg, weightConstant } from './common.js';
import { float, int, ints, str } from './graph.js';
import { recurrent, WRAPPABLE_CELLS } from './recurrent.js';
import { convolution, globalPool, pool } from './window.js';
import { unsupported, type OnnxLowerableNode, type OnnxLowering } from './types.js';

const dense: OnnxLowering = (node, ctx) => {
  const { g } = ctx;
  const [x] = ctx.inputs;
  const kernel = weightConstant(ctx, 'kernel');
  const bias = boolArg(node, 'use_bias', true) ? weightConstant(ctx, 'bias') : undefined;
  // Keras's Dense multiplies the last axis, whatever the rank.
  const y = x.shape.length === 2
    ? g.op('Gemm', bias ? [x.name, kernel, bias] : [x.name, kernel])
    : bias ? g.op('Add', [g.op('MatMul', [x.name, kernel]), bias]) : g.op('MatMul', [x.name, kernel]);
  return applyActivation(g, y, activationName(node), node);
};

const activation: OnnxLowering = (node, ctx) => {
  const [x] = ctx.inputs;
  const name = activationName(node);
  if (!isElementwise(name)) return applyActivation(ctx.g, x.name, name, node);
  return elementwise(ctx.g, x.name, x.shape.length, (v) => {
    const y = applyActivation(ctx.g, v, name, node);
    // `activation linear` still gets a node of its own, named after the layer.
    return y === v ? ctx.g.op('Identity', [v]) : y;
  });
};

/** At inference Dropout passes its input through. */
const dropout: OnnxLowering = (_node, ctx) => {
  const [x] = ctx.inputs;
  return elementwise(ctx.g, x.name, x.shape.length, (v) => ctx.g.op('Identity', [v]));
};

/** Channels-last order, as Keras flattens (batch, h, w, c). */
const flatten: OnnxLowering = (_node, ctx) => ctx.g.op('Flatten', [ctx.inputs[0].name], { axis: int(1) });

const reshape: OnnxLowering = (node, ctx) => {
  const target = node.args.target_shape;
  if (!Array.isArray(target) || !target.every((d) => typeof d === 'number')) {
    unsupported(node, 'no `target_shape` in the IR', 'regenerate the IR with `mlc ir`', 'target_shape');
  }
  // 0 keeps the batch dimension as it comes.
  return ctx.g.op('Reshape', [ctx.inputs[0].name, ctx.g.int64s([0, ...(target as number[])])]);
};

/** The normalised axis as a non-negative index. */
function featureAxis(node: OnnxLowerableNode, rank: number): number {
  const axis = numArg(node, 'axis', -1);
  return axis < 0 ? rank + axis : axis;
}

/**
 * Inference-time BatchNormalization: (x - moving_mean) / √(moving_variance + ε) · γ + β.
 * On the channel axis of a channels-first value (after a convolution) it is ONNX's
 * BatchNormalization; elsewhere the folded scale and shift, broadcast along the axis.
 */
const batchnorm: OnnxLowering = (node, ctx) => {
  const { g } = ctx;
  const [x] = ctx.inputs;
  const rank = x.shape.length;
  const axis = featureAxis(node, rank);
  const mean = hostWeight(ctx, 'moving_mean');
  const variance = hostWeight(ctx, 'moving_variance');
  const channels = mean.data.length;
  const gamma = ctx.hasWeight('gamma') ? hostWeight(ctx, 'gamma').data : new Float32Array(channels).fill(1);
  const beta = ctx.hasWeight('beta') ? hostWeight(ctx, 'beta').data : new Float32Array(channels);
  const epsilon = numArg(node, 'epsilon', 1e-3);
  if (axis === rank - 1 && rank >= 3 && g.hasChannelsFirst(x.name)) {
    const y = g.op('BatchNormalization', [
      g.channelsFirst(x.name, rank),
      g.floatConstant('gamma', [channels], gamma), g.floatConstant('beta', [channels], beta),
      g.floatConstant('moving_mean', [channels], mean.data), g.floatConstant('moving_variance', [channels], variance.data),
    ], { epsilon: float(epsilon) });
    return g.channelsLast(y, rank);
  }
  const scale = new Float32Array(channels);
  const shift = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    scale[c] = gamma[c] / Math.sqrt(variance.data[c] + epsilon);
    shift[c] = beta[c] - mean.data[c] * scale[c];
  }
  const dims = Array.from({ length: rank - axis }, (_, i) => (i === 0 ? channels : 1));
  const scaled = g.op('Mul', [x.name, g.floatConstant('scale', dims, scale)]);
  return g.op('Add', [scaled, g.floatConstant('shift', dims, shift)], {}, 'BatchNormalization');
};

/** ONNX's LayerNormalization (opset 17) normalises from `axis` to the last; over one inner axis it is spelled out. */
const layernorm: OnnxLowering = (node, ctx) => {
  const { g } = ctx;
  const [x] = ctx.inputs;
  const rank = x.shape.length;
  const axis = featureAxis(node, rank);
  const size = x.shape[axis] as number;
  const gamma = ctx.hasWeight('gamma') ? hostWeight(ctx, 'gamma').data : new Float32Array(size).fill(1);
  const beta = ctx.hasWeight('beta') ? hostWeight(ctx, 'beta').data : new Float32Array(size);
  const epsilon = numArg(node, 'epsilon', 1e-3);
  if (axis === rank - 1) {
    return g.op('LayerNormalization', [x.name, g.floatConstant('gamma', [size], gamma), g.floatConstant('beta', [size], beta)],
      { axis: int(-1), epsilon: float(epsilon) });
  }
  const dims = Array.from({ length: rank - axis }, (_, i) => (i === 0 ? size : 1));
  const mean = g.op('ReduceMean', [x.name], { axes: ints([axis]), keepdims: int(1) });
  const centred = g.op('Sub', [x.name, mean]);
  const variance = g.op('ReduceMean', [g.op('Mul', [centred, centred])], { axes: ints([axis]), keepdims: int(1) });
  const normed = g.op('Div', [centred, g.op('Sqrt', [g.op('Add', [variance, g.floatValues([epsilon], true)])])]);
  return g.op('Add', [g.op('Mul', [normed, g.floatConstant('gamma', dims, gamma)]), g.floatConstant('beta', dims, beta)], {}, 'LayerNormalization');
};

/** Gather rows of the table; tfjs casts float ids to integers, and so does the graph. */
const embedding: OnnxLowering = (_node, ctx) => {
  const { g } = ctx;
  const [x] = ctx.inputs;
  const ids = x.dtype === 'int32' ? x.name : g.op('Cast', [x.name], { to: int(6) });
  return g.op('Gather', [weightConstant(ctx, 'embeddings'), ids], { axis: int(0) });
};

/** UpSampling2D as tfjs computes it: nearest repeats pixels; bilinear samples without half-pixel centres. */
const upsample: OnnxLowering = (node, ctx) => {
  const { g } = ctx;
  const [x] = ctx.inputs;
  const size = (node.args.size as number[] | undefined) ?? [2, 2];
  const bilinear = node.args.interpolation === 'bilinear';
  const y = g.op('Resize', [g.channelsFirst(x.name, 4), '', g.floatValues([1, 1, size[0], size[1]])], {
    mode: str(bilinear ? 'linear' : 'nearest'),
    coordinate_transformation_mode: str('asymmetric'),
    ...(bilinear ? {} : { nearest_mode: str('floor') }),
  });
  return g.channelsLast(y, 4);
};

const bidirectional: OnnxLowering = (node, ctx) => {
  const inner = node.args.layer as unknown as OnnxLowerableNode | undefined;
  if (!inner || typeof inner !== 'object' || !WRAPPABLE_CELLS.includes(inner.kind)) {
    unsupported(node, 'bidirectional must wrap simplernn, lstm or gru', 'write e.g. `bidirectional lstm 64`', 'layer');
  }
  const cell = { ...inner, name: inner.name || inner.kind, args: inner.args ?? {}, span: node.span };
  return recurrent(cell, ctx, { mergeMode: String(node.args.merge_mode ?? 'concat'), node });
};

const cell: OnnxLowering = (node, ctx) => recurrent(node, ctx);

// Merges of graph models: several inputs of one shape (or broadcastable), one output.
const variadic = (op: string): OnnxLowering => (_node, ctx) => ctx.g.op(op, ctx.inputs.map((t) => t.name));

const subtract: OnnxLowering = (_node, ctx) => ctx.g.op('Sub', [ctx.inputs[0].name, ctx.inputs[1].name]);

const multiply: OnnxLowering = (_node, ctx) =>
  ctx.inputs.slice(1).reduce((acc, t) => ctx.g.op('Mul', [acc, t.name]), ctx.inputs[0].name);

const concatenate: OnnxLowering = (node, ctx) => ctx.g.op('Concat', ctx.inputs.map((t) => t.name), { axis: int(numArg(node, 'axis', -1)) });

/** Keras's Dot: a batched dot product over one axis of each input, optionally of L2-normalised inputs. */
const dot: OnnxLowering = (node, ctx) => {
  const { g } = ctx;
  const [a, b] = ctx.inputs;
  const raw = node.args.axes;
  const given = Array.isArray(raw) ? (raw as number[]) : [numArg(node, 'axes'), numArg(node, 'axes')];
  const [ax, bx] = given.map((axis, i) => (axis < 0 ? ctx.inputs[i].shape.length + axis : axis));
  const normalize = (t: { name: string }, axis: number) =>
    boolArg(node, 'normalize', false) ? g.op('LpNormalization', [t.name], { axis: int(axis), p: int(2) }) : t.name;
  const an = normalize(a, ax);
  const bn = normalize(b, bx);
  if (a.shape.length === 2 && b.shape.length === 2) {
    return g.op('ReduceSum', [g.op('Mul', [an, bn]), g.int64s([1])], { keepdims: int(1) });
  }
  if (a.shape.length !== 3 || b.shape.length !== 3) {
    unsupported(node, 'dot of inputs other than two matrices or two sequences has no ONNX form here', 'reshape the inputs to (batch, n) or (batch, steps, n)');
  }
  // (batch, i, j) · (batch, k, l): contract a's axis `ax` with b's axis `bx` by one MatMul.
  const left = ax === 2 ? an : g.op('Transpose', [an], { perm: ints([0, 2, 1]) });
  const right = bx === 1 ? bn : g.op('Transpose', [bn], { perm: ints([0, 2, 1]) });
  return g.op('MatMul', [left, right]);
};

export const ONNX_LOWERINGS: Readonly<Record<string, OnnxLowering>> = {
  dense,
  conv2d: (node, ctx) => convolution(node, ctx, 2),
  conv1d: (node, ctx) => convolution(node, ctx, 1),
  maxpool2d: (node, ctx) => pool(node, ctx, 2, 'MaxPool'),
  avgpool2d: (node, ctx) => pool(node, ctx, 2, 'AveragePool'),
  maxpool1d: (node, ctx) => pool(node, ctx, 1, 'MaxPool'),
  avgpool1d: (node, ctx) => pool(node, ctx, 1, 'AveragePool'),
  globalmaxpool: (node, ctx) => globalPool(node, ctx, 'ReduceMax'),
  globalavgpool: (node, ctx) => globalPool(node, ctx, 'ReduceMean'),
  flatten, dropout, batchnorm, layernorm, activation, embedding,
  simplernn: cell, lstm: cell, gru: cell,
  bidirectional, reshape, upsample,
  add: variadic('Sum'), subtract, multiply, average: variadic('Mean'), maximum: variadic('Max'), minimum: variadic('Min'),
  concatenate, dot,
};

