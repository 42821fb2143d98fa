/**
 * Transpose and Reverse as one strided copy over the wasm heap. The wasm
 * backend's own Reverse walks the output through a generic index computation
 * per element, and its Transpose does not block, so a transpose that moves the
 * innermost axis reads a new cache line for every element; this copy moves
 * such transposes in 32 x 32 tiles, so reads and writes both stay within a few
 * cache lines. (Where the innermost axis stays innermost the copy is of whole
 * runs, which the backend's kernel does as fast.)
 */

import type { SimdKernels } from './simd-kernels.js';

type Values = Float32Array | Int32Array | Uint8Array;

/** Output element (i_0, ..., i_k-1), in row-major order over `shape`, is input element start + sum of i_j * strides[j]. */
export interface StridedSource {
  shape: readonly number[];
  strides: readonly number[];
  start: number;
}

const TILE = 32;

/** The input strides of a row-major tensor of this shape. */
export function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  for (let j = shape.length - 1, s = 1; j >= 0; j--) {
    strides[j] = s;
    s *= shape[j]!;
  }
  return strides;
}

/** The transposed tensor's source: output axis j reads input axis perm[j]. */
export function transposeSource(shape: readonly number[], perm: readonly number[]): StridedSource {
  const strides = rowMajorStrides(shape);
  return { shape: perm.map((a) => shape[a]!), strides: perm.map((a) => strides[a]!), start: 0 };
}

/** The reversed tensor's source: the listed axes are read from their far end. */
export function reverseSource(shape: readonly number[], axes: readonly number[]): StridedSource {
  const strides = rowMajorStrides(shape);
  let start = 0;
  const signed = strides.map((s, j) => {
    if (!axes.includes(j)) return s;
    start += (shape[j]! - 1) * s;
    return -s;
  });
  return { shape, strides: signed, start };
}

/** Drops axes of size 1 and merges output axes that the input reads as one run, so fewer, longer loops remain. */
function simplify(source: StridedSource): { shape: number[]; strides: number[] } {
  const shape: number[] = [];
  const strides: number[] = [];
  source.shape.forEach((n, j) => {
    if (n === 1) return;
    const k = shape.length - 1;
    if (k >= 0 && strides[k] === source.strides[j]! * n) {
      shape[k] *= n;
      strides[k] = source.strides[j]!;
      return;
    }
    shape.push(n);
    strides.push(source.strides[j]!);
  });
  if (shape.length === 0) return { shape: [1], strides: [1] };
  return { shape, strides };
}

/** Whether the copy moves whole runs of the input (its innermost output axis reads the input in order). */
export function copiesRuns(source: StridedSource): boolean {
  const { strides } = simplify(source);
  return strides[strides.length - 1] === 1;
}

/** The SIMD plane transpose (./simd/kernels.wat), where it can run. */
type TransposePlane = Pick<SimdKernels, 'transposePlane'>;

/** `simd`, when given, moves the planes that are true transposes of 4-byte elements (the input contiguous along the plane's rows). */
export function copyStrided(src: Values, dst: Values, source: StridedSource, simd?: TransposePlane): void {
  const { shape, strides } = simplify(source);
  const last = shape.length - 1;
  if (last === 0) {
    copyPlane(src, dst, 0, source.start, { rows: 1, cols: shape[0]!, rowOut: 0, rowIn: 0, colIn: strides[0]! }, simd);
    return;
  }
  // The plane copied in tiles: the output's innermost axis and the other axis the input reads most nearly in order.
  let plane = 0;
  for (let j = 1; j < last; j++) if (Math.abs(strides[j]!) < Math.abs(strides[plane]!)) plane = j;
  const outStrides = rowMajorStrides(shape);
  const tiles = { rows: shape[plane]!, cols: shape[last]!, rowOut: outStrides[plane]!, rowIn: strides[plane]!, colIn: strides[last]! };
  // Every other axis is walked in output order, odometer style.
  const outer = shape.map((_, j) => j).filter((j) => j !== plane && j !== last);
  const index = outer.map(() => 0);
  let [outAt, inAt] = [0, source.start];
  for (;;) {
    copyPlane(src, dst, outAt, inAt, tiles, simd);
    let k = outer.length - 1;
    for (; k >= 0; k--) {
      const axis = outer[k]!;
      outAt += outStrides[axis]!;
      inAt += strides[axis]!;
      if (++index[k]! < shape[axis]!) break;
      outAt -= shape[axis]! * outStrides[axis]!;
      inAt -= shape[axis]! * strides[axis]!;
      index[k] = 0;
    }
    if (k < 0) return;
  }
}

interface Plane {
  rows: number;
  cols: number;
  rowOut: number;
  rowIn: number;
  colIn: number;
}

function copyPlane(src: Values, dst: Values, outAt: number, inAt: number, plane: Plane, simd: TransposePlane | undefined): void {
  const { rows, cols, rowOut, rowIn, colIn } = plane;
  if (simd === undefined || rowIn !== 1 || src.BYTES_PER_ELEMENT !== 4 || rows < 4 || cols < 4) {
    copyTiles(src, dst, outAt, inAt, plane);
    return;
  }
  simd.transposePlane(src.byteOffset + 4 * inAt, dst.byteOffset + 4 * outAt, rows, cols, rowOut, colIn);
  // The kernel moves whole 4 x 4 blocks; the rows and columns left over are copied here.
  const [rows4, cols4] = [rows & ~3, cols & ~3];
  if (rows4 < rows) copyTiles(src, dst, outAt + rows4 * rowOut, inAt + rows4 * rowIn, { ...plane, rows: rows - rows4 });
  if (cols4 < cols) copyTiles(src, dst, outAt + cols4, inAt + cols4 * colIn, { ...plane, rows: rows4, cols: cols - cols4 });
}

/** One plane of the copy (output columns contiguous), in TILE x TILE blocks. A plain function, so V8 optimises its loops. */
function copyTiles(src: Values, dst: Values, outAt: number, inAt: number, { rows, cols, rowOut, rowIn, colIn }: Plane): void {
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(r0 + TILE, rows);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const c1 = Math.min(c0 + TILE, cols);
      for (let r = r0; r < r1; r++) {
        let o = outAt + r * rowOut + c0;
        let s = inAt + r * rowIn + c0 * colIn;
        for (let c = c0; c < c1; c++, s += colIn) dst[o++] = src[s]!;
      }
    }
  }
}
