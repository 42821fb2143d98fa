/**
 * Sum over a run of adjacent axes that are not the innermost, such as the
 * bias gradient's sum over [batch, height, width] of an NHWC tensor. The wasm
 * backend's own Sum first transposes the reduced axes innermost (a full copy
 * in a slow generic transpose); here the tensor is read once, in order, as
 * [outer, reduced, inner], adding whole rows of `inner` values at a time.
 */

/** [outer, reduced, inner] sizes when the sorted `axes` are adjacent and some axis after them is kept; otherwise undefined. */
export function blockOfAxes(shape: readonly number[], axes: readonly number[]): [number, number, number] | undefined {
  if (axes.length === 0) return undefined;
  const first = axes[0]!;
  const last = axes[axes.length - 1]!;
  if (last - first + 1 !== axes.length || last === shape.length - 1) return undefined;
  const product = (from: number, to: number) => shape.slice(from, to).reduce((p, d) => p * d, 1);
  return [product(0, first), product(first, last + 1), product(last + 1, shape.length)];
}

/**
 * out[o, i] = sum over r of x[o, r, i], kept in float64 (as the cpu backend
 * keeps its sums) and rounded once. Four rows are added per pass: the sums'
 * dependency chains, not memory, limit a one-row loop.
 */
export function sumMiddleAxis(
  x: Float32Array | Int32Array,
  out: Float32Array | Int32Array,
  [outer, reduced, inner]: [number, number, number],
): void {
  const sums = new Float64Array(inner);
  const [row1, row2, row3] = [inner, 2 * inner, 3 * inner];
  for (let o = 0; o < outer; o++) {
    sums.fill(0);
    let at = o * reduced * inner;
    let r = 0;
    for (; r + 4 <= reduced; r += 4, at += 4 * inner) {
      for (let i = 0; i < inner; i++) {
        const a = at + i;
        sums[i] += x[a]! + x[a + row1]! + (x[a + row2]! + x[a + row3]!);
      }
    }
    for (; r < reduced; r++, at += inner) {
      for (let i = 0; i < inner; i++) sums[i] += x[at + i]!;
    }
    out.set(sums, o * inner);
  }
}
