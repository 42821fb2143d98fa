/**
 * Each layer kind on PyTorch: the layout its inputs must arrive in and the
 * Python expression that builds its module from the runtime's Keras classes
 * (./runtime-py.ts). Pure: IR node and shapes in, Python text out.
 */
import type { ArgValue, IRNode, Shape } from '../../ir/types.js';
import { pyCall, pyLiteral, type PyBracketed } from './python.js';

/** Where the channels of a tensor of rank ≥ 3 are: after the batch (PyTorch's convolutions) or last (Keras). */
export type Layout = 'first' | 'last';

export interface TorchContext {
  /** The shapes of the node's inputs, batch first, as inference found them. */
  inputShapes: Shape[];
  /** The layout the inputs arrive in (what `wants` asked for, or the first input's for 'any'). */
  layout: Layout;
}

export interface TorchLayer {
  /** The layout the inputs must have; 'any' takes them as they come. */
  wants: Layout | 'any';
  /** The module's constructor, e.g. KerasDense(in_features=784, units=512, activation="relu", use_bias=True). */
  module: (node: IRNode, ctx: TorchContext) => PyBracketed;
}

const lit = (v: ArgValue | undefined) => pyLiteral(v);
const tuple = (v: ArgValue | undefined) => pyLiteral(v, true);
const kw = (key: string, v: string) => `${key}=${v}`;

function lastDim(ctx: TorchContext, i = 0): number {
  const shape = ctx.inputShapes[i];
  return shape[shape.length - 1] as number;
}

/** The index of Keras axis `axis` (negative from the end) of a rank-`rank` tensor in `layout`. */
function axisIn(layout: Layout, rank: number, axis: number): number {
  const keras = axis < 0 ? rank + axis : axis;
  if (layout === 'last' || rank < 3 || keras === 0) return keras;
  return keras === rank - 1 ? 1 : keras + 1;
}

/** The spatial axes (between batch and channels) of a tensor of `rank` in `layout`. */
function spatialAxes(layout: Layout, rank: number): number[] {
  const first = layout === 'first' ? 2 : 1;
  return Array.from({ length: rank - 2 }, (_, i) => first + i);
}

const dense: TorchLayer = {
  wants: 'last',
  module: (n, ctx) => pyCall('KerasDense', [
    kw('in_features', String(lastDim(ctx))), kw('units', lit(n.args.units)), kw('activation', lit(n.args.activation ?? 'linear')),
    kw('use_bias', lit(n.args.use_bias ?? true)),
  ]),
};

const conv = (rank: 1 | 2): TorchLayer => ({
  wants: 'first',
  module: (n, ctx) => pyCall('KerasConv', [
    kw('rank', String(rank)), kw('in_channels', String(lastDim(ctx))), kw('filters', lit(n.args.filters)), kw('kernel_size', tuple(n.args.kernel_size)),
    kw('strides', tuple(n.args.strides)), kw('padding', lit(n.args.padding)), kw('dilation_rate', tuple(n.args.dilation_rate)),
    kw('activation', lit(n.args.activation ?? 'linear')), kw('use_bias', lit(n.args.use_bias ?? true)),
  ]),
});

const pool = (rank: 1 | 2, op: 'max' | 'avg'): TorchLayer => ({
  wants: 'first',
  module: (n) => pyCall('KerasPool', [
    kw('rank', String(rank)), kw('op', lit(op)), kw('pool_size', tuple(n.args.pool_size)), kw('strides', tuple(n.args.strides ?? n.args.pool_size)), kw('padding', lit(n.args.padding ?? 'valid')),
  ]),
});

const globalPool = (op: 'max' | 'avg'): TorchLayer => ({
  wants: 'any',
  module: (_n, ctx) => pyCall('KerasGlobalPool', [lit(op), tuple(spatialAxes(ctx.layout, ctx.inputShapes[0].length))]),
});

const fn = (expression: (n: IRNode, ctx: TorchContext) => string, wants: Layout | 'any'): TorchLayer => ({
  wants,
  module: (n, ctx) => pyCall('KerasFunction', [expression(n, ctx)]),
});

const recurrentArgs = (kind: string, args: Record<string, ArgValue>, features: number): string[] => [
  lit(kind), kw('features', String(features)), kw('units', lit(args.units)), kw('activation', lit(args.activation ?? 'tanh')),
  kw('recurrent_activation', lit(args.recurrent_activation ?? 'sigmoid')), kw('use_bias', lit(args.use_bias ?? true)),
  kw('return_sequences', lit(args.return_sequences ?? false)), kw('reset_after', lit(args.reset_after ?? false)),
];

const recurrent = (kind: string): TorchLayer => ({
  wants: 'last',
  module: (n, ctx) => pyCall('KerasRecurrent', recurrentArgs(kind, n.args, lastDim(ctx))),
});

const merge = (mode: string, wants: Layout | 'any'): TorchLayer =>
  fn((n, ctx) => {
    if (mode === 'concat') return `keras_merge("concat", axis=${axisIn(ctx.layout, ctx.inputShapes[0].length, (n.args.axis as number | undefined) ?? -1)})`;
    if (mode === 'dot') return `keras_merge("dot", axes=${lit(Array.isArray(n.args.axes) ? n.args.axes[0] : (n.args.axes ?? -1))})`;
    return `keras_merge(${lit(mode)})`;
  }, wants);

/** Every kind mlc knows, on PyTorch. */
export const TORCH_LAYERS: Record<string, TorchLayer> = {
  dense,
  conv2d: conv(2),
  conv1d: conv(1),
  maxpool2d: pool(2, 'max'),
  avgpool2d: pool(2, 'avg'),
  maxpool1d: pool(1, 'max'),
  avgpool1d: pool(1, 'avg'),
  globalmaxpool: globalPool('max'),
  globalavgpool: globalPool('avg'),
  flatten: fn(() => 'keras_flatten', 'last'),
  reshape: fn((n) => `keras_reshape(${tuple((n.args.target_shape as (number | null)[]).map((d) => d ?? -1))})`, 'last'),
  dropout: { wants: 'any', module: (n) => pyCall('KerasDropout', [lit(n.args.rate)]) },
  activation: fn((n, ctx) => {
    const name = lit(n.args.activation);
    return n.args.activation === 'softmax' ? `keras_activation(${name}, channel_dim=${axisIn(ctx.layout, ctx.inputShapes[0].length, -1)})` : `keras_activation(${name})`;
  }, 'any'),
  batchnorm: {
    wants: 'any',
    module: (n, ctx) => {
      const rank = ctx.inputShapes[0].length;
      const keras = axisIn('last', rank, n.args.axis as number);
      return pyCall('KerasBatchNorm', [
        String(ctx.inputShapes[0][keras]), kw('channel_dim', String(axisIn(ctx.layout, rank, n.args.axis as number))),
        kw('momentum', lit(n.args.momentum)), kw('epsilon', lit(n.args.epsilon)),
      ]);
    },
  },
  layernorm: {
    wants: 'last',
    module: (n, ctx) => {
      const rank = ctx.inputShapes[0].length;
      const axis = axisIn('last', rank, n.args.axis as number);
      return pyCall('KerasLayerNorm', [String(ctx.inputShapes[0][axis]), kw('axis', String(axis)), kw('epsilon', lit(n.args.epsilon))]);
    },
  },
  embedding: { wants: 'last', module: (n) => pyCall('KerasEmbedding', [kw('input_dim', lit(n.args.input_dim)), kw('output_dim', lit(n.args.output_dim))]) },
  simplernn: recurrent('simplernn'),
  lstm: recurrent('lstm'),
  gru: recurrent('gru'),
  bidirectional: {
    wants: 'last',
    module: (n, ctx) => {
      const inner = n.args.layer as { kind: string; args: Record<string, ArgValue> };
      const one = pyCall('KerasRecurrent', recurrentArgs(inner.kind, inner.args, lastDim(ctx)));
      return pyCall('KerasBidirectional', [one, one, kw('merge_mode', lit(n.args.merge_mode ?? 'concat'))]);
    },
  },
  upsample: fn((n) => `keras_upsample(${tuple(n.args.size)}, ${lit(n.args.interpolation ?? 'nearest')}, spatial_dims=(2, 3))`, 'first'),
  // The merges of graph models (v2).
  add: merge('add', 'any'),
  subtract: merge('subtract', 'any'),
  multiply: merge('multiply', 'any'),
  average: merge('average', 'any'),
  maximum: merge('maximum', 'any'),
  minimum: merge('minimum', 'any'),
  concat: merge('concat', 'any'),
  dot: merge('dot', 'last'),
};
