/**
 * UnsortedSegmentSum, the gradient of gather (and so of Embedding). A direct
 * scatter-add over the rows: O(rows x rowSize), where the cpu backend's
 * per-segment masking is O(segments x rows x rowSize) and a one-hot matMul
 * would be as costly for a large vocabulary.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

/** Row n of x is added to output row segmentIds[n]; ids outside [0, numSegments) are dropped, as in TensorFlow. */
export function unsortedSegmentSumValues(
  backend: KernelBackend,
  x: TensorInfo,
  segmentIds: TensorInfo,
  numSegments: number,
): tf.Tensor {
  const values = backend.readSync(x.dataId) as Float32Array | Int32Array;
  const ids = backend.readSync(segmentIds.dataId) as Int32Array;
  const rowShape = x.shape.slice(segmentIds.shape.length);
  const rowSize = rowShape.reduce((a, b) => a * b, 1);
  const out = x.dtype === 'int32' ? new Int32Array(numSegments * rowSize) : new Float32Array(numSegments * rowSize);
  for (let n = 0; n < ids.length; n++) {
    const id = ids[n];
    if (id < 0 || id >= numSegments) continue;
    const from = n * rowSize;
    const to = id * rowSize;
    for (let k = 0; k < rowSize; k++) out[to + k] += values[from + k];
  }
  return tf.tensor(out, [numSegments, ...rowShape], x.dtype === 'int32' ? 'int32' : 'float32');
}
