/**
 * MaxPoolGrad as a JavaScript loop over the wasm heap. tfjs-backend-wasm's own
 * kernel rescans every window once per input position; this one scans each
 * window once, channels innermost (so it reads memory in order), and adds the
 * window's output gradient to its maximum's position.
 *
 * It gives exactly the cpu backend's result: the first maximum in window scan
 * order (rows, then columns) takes the gradient, a window with no value above
 * -Infinity (or only NaN) passes none on, and where windows overlap an input
 * position sums its gradients in float64, in window order, before rounding.
 */
import type { backend_util } from '@tensorflow/tfjs-core';

export function maxPoolGradValues(
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  info: backend_util.Conv2DInfo,
): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, effectiveFilterHeight: filterH, effectiveFilterWidth: filterW } = info;
  const overlapping = strideHeight < filterH || strideWidth < filterW;
  // Where windows overlap, sums are kept in float64 as the cpu backend keeps them.
  const sums: Float32Array | Float64Array = overlapping ? new Float64Array(dx.length) : dx;
  sums.fill(0);
  const best = new Float64Array(channels);
  const bestAt = new Int32Array(channels);
  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      const rowCorner = yR * strideHeight - info.padInfo.top;
      const rowFrom = Math.max(rowCorner, 0);
      const rowTo = Math.min(rowCorner + filterH, inHeight);
      for (let yC = 0; yC < outWidth; yC++) {
        const colCorner = yC * strideWidth - info.padInfo.left;
        const colFrom = Math.max(colCorner, 0);
        const colTo = Math.min(colCorner + filterW, inWidth);
        best.fill(-Infinity);
        bestAt.fill(-1);
        for (let r = rowFrom; r < rowTo; r++) {
          for (let c = colFrom; c < colTo; c++) {
            const at = ((b * inHeight + r) * inWidth + c) * channels;
            for (let d = 0; d < channels; d++) {
              const v = x[at + d]!;
              if (v > best[d]!) {
                best[d] = v;
                bestAt[d] = at + d;
              }
            }
          }
        }
        const dyAt = ((b * outHeight + yR) * outWidth + yC) * channels;
        for (let d = 0; d < channels; d++) {
          const at = bestAt[d]!;
          if (at >= 0) sums[at] += dy[dyAt + d]!;
        }
      }
    }
  }
  if (overlapping) dx.set(sums);
}

/**
 * Whether the windows neither overlap nor reach past the input (`maxpool 2`,
 * valid padding): then every input position has at most one window, and
 * `covered` tells whether it has exactly one.
 */
export function tiledWindows(info: backend_util.Conv2DInfo): { tiled: boolean; covered: boolean } {
  const { inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { effectiveFilterHeight: filterH, effectiveFilterWidth: filterW, padInfo } = info;
  const tiled = strideHeight >= filterH && strideWidth >= filterW && padInfo.top === 0 && padInfo.left === 0 &&
    (outHeight - 1) * strideHeight + filterH <= inHeight && (outWidth - 1) * strideWidth + filterW <= inWidth;
  const covered = tiled && strideHeight === filterH && strideWidth === filterW && outHeight * filterH === inHeight && outWidth * filterW === inWidth;
  return { tiled, covered };
}
