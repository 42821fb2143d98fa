/**
 * Shape arithmetic and notation shared by every layer kind: how a sliding
 * window (conv, pooling) changes an axis, element counts, Keras's shape
 * notation, and the `reshape` a user most likely meant when a layer gets an
 * input of the wrong rank.
 */
import type { Dim, Shape } from '../ir/types.js';

export type Padding = 'valid' | 'same';

/** (None, 28, 28, 1): Keras's own notation, batch dimension included. */
export function formatShape(shape: readonly Dim[]): string {
  const parts = shape.map((d) => (d === null ? 'None' : String(d)));
  return `(${parts.join(', ')}${parts.length === 1 ? ',' : ''})`;
}

/** 28x28x1, ?x16: dimensions as the DSL writes them (no batch dimension). */
export function formatDims(dims: readonly Dim[]): string {
  return dims.map((d) => (d === null ? '?' : String(d))).join('x');
}

/** The extent a kernel covers once dilated: 3 with dilation 2 spans 5. */
export function dilatedSize(window: number, dilation: number): number {
  return window + (window - 1) * (dilation - 1);
}

/**
 * Output length along one axis of a conv or pooling window, as Keras and
 * tfjs-layers compute it (conv_utils.convOutputLength):
 * valid: floor((in - dilation·(k-1) - 1) / stride) + 1; same: ceil(in / stride).
 * An unknown length stays unknown. May return 0 or less when the window does
 * not fit; callers report that.
 */
export function windowOutputLength(input: Dim, window: number, stride: number, padding: Padding, dilation = 1): Dim {
  if (input === null) return null;
  if (padding === 'same') return Math.ceil(input / stride);
  return Math.floor((input - dilatedSize(window, dilation)) / stride) + 1;
}

/** The number of values in `dims`, or null when one of them is unknown. */
export function elementCount(dims: readonly Dim[]): number | null {
  let n = 1;
  for (const d of dims) {
    if (d === null) return null;
    n *= d;
  }
  return n;
}

/** Product with unknown dimensions counted as 1: a per-position (per-step) cost. */
export function knownProduct(dims: readonly Dim[]): number {
  return dims.reduce<number>((p, d) => p * (d ?? 1), 1);
}

function exactSqrt(n: number): number | undefined {
  const r = Math.round(Math.sqrt(n));
  return r * r === n ? r : undefined;
}

/**
 * The `reshape` that turns `shape` (batch first) into an image
 * (height, width, channels), or undefined when no guess is sensible:
 * (None, 784) → 28x28x1, (None, 3072) → 32x32x3, (None, 28, 28) → 28x28x1.
 */
export function imageReshape(shape: Shape): string | undefined {
  const dims = shape.slice(1);
  if (dims.some((d) => d === null)) return undefined;
  if (dims.length === 2) return `${dims[0]}x${dims[1]}x1`;
  if (dims.length !== 1) return undefined;
  const n = dims[0] as number;
  const gray = exactSqrt(n);
  if (gray !== undefined) return `${gray}x${gray}x1`;
  const rgb = n % 3 === 0 ? exactSqrt(n / 3) : undefined;
  return rgb !== undefined ? `${rgb}x${rgb}x3` : undefined;
}

/**
 * The `reshape` that turns `shape` into a sequence (steps, channels):
 * (None, 100) → 100x1 (one value per step), (None, 28, 28, 1) → 28x28 (rows as steps).
 */
export function sequenceReshape(shape: Shape): string | undefined {
  const dims = shape.slice(1);
  if (dims.some((d) => d === null)) return undefined;
  if (dims.length === 1) return `${dims[0]}x1`;
  if (dims.length === 3) return `${dims[0]}x${(dims[1] as number) * (dims[2] as number)}`;
  return undefined;
}
