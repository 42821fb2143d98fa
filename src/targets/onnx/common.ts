/** Helpers shared by the lowerings: weights as constants, argument readers, layout-preserving elementwise ops. */
import type { OnnxGraph } from './graph.js';
import type { HostTensor } from './tensor.js';
import { unsupported, type OnnxLowerContext, type OnnxLowerableNode } from './types.js';

/** A weight of the layer as a host tensor (to rearrange before it becomes a constant). */
export function hostWeight(ctx: OnnxLowerContext, name: string): HostTensor {
  const w = ctx.weight(name);
  return { shape: w.shape, data: w.data };
}

/** A host tensor as a graph constant named after the weight. */
export function constantOf(g: OnnxGraph, name: string, t: HostTensor): string {
  return g.floatConstant(name, t.shape, t.data);
}

/** The layer's weight unchanged, as a constant. */
export function weightConstant(ctx: OnnxLowerContext, name: string): string {
  return constantOf(ctx.g, name, hostWeight(ctx, name));
}

export function numArg(node: OnnxLowerableNode, key: string, fallback?: number): number {
  const v = node.args[key] ?? fallback;
  if (typeof v !== 'number') unsupported(node, `no numeric \`${key}\` argument in the IR`, 'regenerate the IR with `mlc ir`', key);
  return v;
}

export function boolArg(node: OnnxLowerableNode, key: string, fallback: boolean): boolean {
  const v = node.args[key];
  return v === undefined || v === null ? fallback : Boolean(v);
}

export function tupleArg(node: OnnxLowerableNode, key: string, rank: number, fallback?: number[]): number[] {
  const v = node.args[key] ?? fallback ?? null;
  if (typeof v === 'number') return Array<number>(rank).fill(v);
  if (Array.isArray(v) && v.length === rank && v.every((d) => typeof d === 'number')) return v as number[];
  return unsupported(node, `no ${rank}-tuple \`${key}\` argument in the IR`, 'regenerate the IR with `mlc ir`', key);
}

/**
 * Applies an elementwise function in whichever layout `x` already exists:
 * after a convolution that is channels-first, so conv -> batchnorm -> relu
 * -> conv needs no transposes in between.
 */
export function elementwise(g: OnnxGraph, x: string, rank: number, fn: (v: string, channelsAxis: number) => string): string {
  if (rank >= 3 && g.hasChannelsFirst(x)) return g.channelsLast(fn(g.channelsFirst(x, rank), 1), rank);
  return fn(x, rank - 1);
}

/** A normalised axis (`axis`, negative from the end) as an index into a shape of `rank`. */
export function featureAxis(node: OnnxLowerableNode, rank: number): number {
  const axis = numArg(node, 'axis', -1);
  return axis < 0 ? rank + axis : axis;
}
