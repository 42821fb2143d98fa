/**
 * What the merge kinds share: Keras combines tensors of different ranks by
 * inserting axes after the batch (then broadcasting on the last axes), and
 * several inputs that all exist channels-first (after convolutions) are
 * merged in that layout, so a residual block needs no transposes.
 */
import { int, ints, type OnnxGraph } from './graph.js';
import type { OnnxLowerContext, OnnxLowering, OnnxTensor } from './types.js';

/** The inputs at one rank: lower ranks get axes 1, 2, ... inserted, as Keras's merges do. */
function sameRank(g: OnnxGraph, inputs: readonly OnnxTensor[]): string[] {
  const rank = Math.max(...inputs.map((t) => t.shape.length));
  return inputs.map((t) => {
    const missing = rank - t.shape.length;
    if (missing === 0) return t.name;
    return g.op('Unsqueeze', [t.name, g.int64s(Array.from({ length: missing }, (_, i) => i + 1))]);
  });
}

/**
 * Runs `merge` on the inputs in the channels-first layout when every input
 * already exists in it (same rank, an image or sequence), else channels-last.
 * `axis` is the channels-last axis the merge works along, if any, and comes
 * back translated to the layout used.
 */
export function mergeInLayout(ctx: OnnxLowerContext, merge: (values: string[], axis?: number) => string, axis?: number): string {
  const { g, inputs } = ctx;
  const rank = inputs[0].shape.length;
  if (rank >= 3 && inputs.every((t) => t.shape.length === rank && g.hasChannelsFirst(t.name))) {
    // Channels-last axis a sits at channels-first position 1 (the channels) or a + 1.
    const firstAxis = axis === undefined ? undefined : axis === rank - 1 ? 1 : axis + 1;
    return g.channelsLast(merge(inputs.map((t) => g.channelsFirst(t.name, rank)), firstAxis), rank);
  }
  return merge(sameRank(g, inputs), axis);
}

/**
 * An element-wise merge: `op` on all inputs at once (Max, Min, Mean take
 * any number), or folded pairwise (Add, Mul, Sub, which also take integers).
 */
export function elementwiseMerge(op: 'Add' | 'Sub' | 'Mul' | 'Mean' | 'Max' | 'Min'): OnnxLowering {
  const pairwise = op === 'Add' || op === 'Sub' || op === 'Mul';
  return (_node, ctx) =>
    mergeInLayout(ctx, (values) => (pairwise ? values.slice(1).reduce((acc, v) => ctx.g.op(op, [acc, v]), values[0]) : ctx.g.op(op, values)));
}

/** x / √max(Σ x², 1e-7) along `axis`: tfjs-layers' l2Normalize, the epsilon included. */
export function l2Normalize(g: OnnxGraph, x: string, axis: number): string {
  const squares = g.op('ReduceSumSquare', [x], { axes: ints([axis]), keepdims: int(1) });
  const norm = g.op('Sqrt', [g.op('Max', [squares, g.floatValues([1e-7], true)])]);
  return g.op('Div', [x, norm], {}, 'L2Normalize');
}
