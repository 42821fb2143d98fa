/**
 * What a layer kind's PyTorch lowering is, and the pieces several kinds
 * share: the layout its inputs must arrive in and the Python expression that
 * builds its module from the runtime's Keras classes (./runtime-py.ts).
 * Pure: IR node and shapes in, Python text out.
 */
import type { ArgValue, IRNode, Shape } from '../../ir/types.js';
import { pyCall, pyDict, pyFloat, pyLiteral, type PyBracketed, type PyExpr } from './python.js';

export { pyCall };

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

export const lit = (v: ArgValue | undefined) => pyLiteral(v);
export const pyTuple = (v: ArgValue | undefined) => pyLiteral(v, true);
export const kw = (key: string, v: string) => `${key}=${v}`;

export function lastDim(ctx: TorchContext, i = 0): number {
  const shape = ctx.inputShapes[i];
  return shape[shape.length - 1] as number;
}

/** The index of Keras axis `axis` (negative from the end) of a rank-`rank` tensor in `layout`. */
export function axisIn(layout: Layout, rank: number, axis: number): number {
  const keras = axis < 0 ? rank + axis : axis;
  if (layout === 'last' || rank < 3 || keras === 0) return keras;
  return keras === rank - 1 ? 1 : keras + 1;
}

/** The spatial axes (between batch and channels) of a tensor of `rank` in `layout`. */
export function spatialAxes(layout: Layout, rank: number): number[] {
  const first = layout === 'first' ? 2 : 1;
  return Array.from({ length: rank - 2 }, (_, i) => first + i);
}

export const torchConv = (rank: 1 | 2): TorchLayer => ({
  wants: 'first',
  module: (n, ctx) => pyCall('KerasConv', [
    kw('rank', String(rank)), kw('in_channels', String(lastDim(ctx))), kw('filters', lit(n.args.filters)), kw('kernel_size', pyTuple(n.args.kernel_size)),
    kw('strides', pyTuple(n.args.strides)), kw('padding', lit(n.args.padding)), kw('dilation_rate', pyTuple(n.args.dilation_rate)),
    kw('activation', lit(n.args.activation ?? 'linear')), kw('use_bias', lit(n.args.use_bias ?? true)),
  ]),
});

export const torchPool = (rank: 1 | 2, op: 'max' | 'avg'): TorchLayer => ({
  wants: 'first',
  module: (n) => pyCall('KerasPool', [
    kw('rank', String(rank)), kw('op', lit(op)), kw('pool_size', pyTuple(n.args.pool_size)), kw('strides', pyTuple(n.args.strides ?? n.args.pool_size)), kw('padding', lit(n.args.padding ?? 'valid')),
  ]),
});

export const torchGlobalPool = (op: 'max' | 'avg'): TorchLayer => ({
  wants: 'any',
  module: (_n, ctx) => pyCall('KerasGlobalPool', [lit(op), pyTuple(spatialAxes(ctx.layout, ctx.inputShapes[0].length))]),
});

export const torchFunction = (expression: (n: IRNode, ctx: TorchContext) => string, wants: Layout | 'any'): TorchLayer => ({
  wants,
  module: (n, ctx) => pyCall('KerasFunction', [expression(n, ctx)]),
});

export const recurrentArgs = (kind: string, args: Record<string, ArgValue>, features: number): string[] => [
  lit(kind), kw('features', String(features)), kw('units', lit(args.units)), kw('activation', lit(args.activation ?? 'tanh')),
  kw('recurrent_activation', lit(args.recurrent_activation ?? 'sigmoid')), kw('use_bias', lit(args.use_bias ?? true)),
  kw('return_sequences', lit(args.return_sequences ?? false)), kw('reset_after', lit(args.reset_after ?? false)),
];

export const torchRecurrent = (kind: string): TorchLayer => ({
  wants: 'last',
  module: (n, ctx) => pyCall('KerasRecurrent', recurrentArgs(kind, n.args, lastDim(ctx))),
});

/** An element-wise merge (add, subtract, ...): inputs of one rank in the layout they come in. */
export const torchMerge = (mode: string): TorchLayer => torchFunction(() => `keras_merge(${lit(mode)})`, 'any');

/** Weight-option prefixes that name a kernel other than `kernel` (Keras's `recurrent_kernel`, `depthwise_kernel`, `pointwise_kernel`). */
const KERNEL_PREFIXES = new Set(['recurrent', 'depthwise', 'pointwise']);

/**
 * The Keras options PyTorch applies to a module once built, for every kind
 * alike (src/layers/params.ts: trainable, the initializers, the
 * regularizers): the module wrapped in the runtime's keras_layer_options, or
 * as it is when the layer has none. `weights` are the layer's Keras weight
 * names in order; a wrapper's (bidirectional's) initializers are its inner layer's.
 */
export function withLayerOptions(node: IRNode, weights: readonly string[], module: PyBracketed): PyBracketed {
  const inner = node.args.layer;
  const args = inner !== null && typeof inner === 'object' && !Array.isArray(inner) && typeof inner.args === 'object' ? (inner.args as Record<string, ArgValue>) : node.args;
  const chosen = (suffix: string) => Object.entries(args)
    .filter(([key, v]) => key.endsWith(suffix) && key !== 'activity_regularizer' && v !== null && v !== undefined)
    // `recurrent_initializer` is the recurrent kernel's (and `depthwise_...`, `pointwise_...` those kernels'); the others are named after their weight.
    .map(([key, v]) => {
      const prefix = key.slice(0, -suffix.length);
      return [KERNEL_PREFIXES.has(prefix) ? `${prefix}_kernel` : prefix, v] as const;
    });
  const initializers = chosen('_initializer').map(([w, v]) => [JSON.stringify(w), lit(v)] as [string, string]);
  const pair = (v: unknown) => {
    const r = v as { l1: number; l2: number };
    return `(${pyFloat(r.l1)}, ${pyFloat(r.l2)})`;
  };
  const regularizers = chosen('_regularizer').map(([w, v]) => [JSON.stringify(w), pair(v)] as [string, string]);
  // The activity penalty is the wrapper's own (Keras's Bidirectional(activity_regularizer=...)), on its merged output.
  const activity = node.args.activity_regularizer;
  const items: PyExpr[] = [];
  if (node.args.trainable === false) items.push(kw('trainable', 'False'));
  if (initializers.length) items.push(pyDict(initializers, 'initializers='));
  if (regularizers.length) items.push(pyDict(regularizers, 'regularizers='));
  if (activity !== undefined && activity !== null) items.push(kw('activity', pair(activity)));
  if (items.length === 0) return module;
  // A tuple laid out as black lays out a collection; one name needs its trailing comma.
  const names = weights.map((w) => JSON.stringify(w));
  const tuple: PyExpr = names.length === 1 ? `(${names[0]},)` : { head: '', open: '(', items: names, close: ')', collection: true };
  return pyCall('keras_layer_options', [module, tuple, ...items]);
}
