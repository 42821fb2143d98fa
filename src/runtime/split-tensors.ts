/** A data split uploaded to the backend once, as two tensors, so batches are device-side slices. */
import type { Split } from './data/types.js';
import type { Tensor, TF } from './tf.js';

export interface SplitTensors {
  x: Tensor;
  y: Tensor;
  count: number;
}

export function toTensors(tf: TF, split: Split, inputDtype: 'float32' | 'int32'): SplitTensors {
  const x = inputDtype === 'int32'
    ? tf.tensor(split.x instanceof Int32Array ? split.x : Int32Array.from(split.x), split.xShape, 'int32')
    : tf.tensor(split.x, split.xShape, 'float32');
  const y = tf.tensor(split.y, split.yShape, 'float32');
  return { x, y, count: split.count };
}

/**
 * Keras's validation_split: the last `fraction` of the samples, taken before
 * any shuffling, is held out. Returns views on the same arrays (no copy).
 */
export function holdOut(split: Split, fraction: number): { train: Split; validation?: Split } {
  const valCount = Math.floor(split.count * fraction);
  if (valCount <= 0) return { train: split };
  const trainCount = split.count - valCount;
  const part = (from: number, to: number): Split => {
    const xRow = split.x.length / split.count;
    const yRow = split.y.length / split.count;
    return {
      x: split.x.subarray(from * xRow, to * xRow),
      xShape: [to - from, ...split.xShape.slice(1)],
      y: split.y.subarray(from * yRow, to * yRow),
      yShape: [to - from, ...split.yShape.slice(1)],
      count: to - from,
    };
  };
  return { train: part(0, trainCount), validation: part(trainCount, split.count) };
}

/** The largest absolute input value, to tell the user their inputs are unscaled when the loss blows up. */
export function largestMagnitude(x: Float32Array | Int32Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const v = Math.abs(x[i]);
    if (v > m) m = v;
  }
  return m;
}
