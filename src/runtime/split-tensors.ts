/**
 * A data split as the training loop takes it: one array per model input and
 * one per output, uploaded to the backend once, so that batches are
 * device-side slices. Single-input, single-output data (every loader but the
 * field-keyed JSON of graph models) is the one-array case.
 */
import type { Split } from './data/types.js';
import type { Tensor, TF } from './tf.js';

/** A host array with its shape (N first) and dtype. */
export interface HostArray {
  values: Float32Array | Int32Array;
  shape: number[];
  dtype: 'float32' | 'int32';
}

/** Inputs in the model's input order, targets in its output order, `count` samples each. */
export interface MultiSplit {
  xs: HostArray[];
  ys: HostArray[];
  /** Each sample's weight in the loss, when the data has them (Keras's sample_weight). */
  weights?: Float32Array;
  count: number;
}

export interface SplitTensors {
  xs: Tensor[];
  ys: Tensor[];
  count: number;
}

/** The one-input, one-output split of the classic loaders. */
export function fromSplit(split: Split, inputDtype: 'float32' | 'int32'): MultiSplit {
  const x = inputDtype === 'int32' && !(split.x instanceof Int32Array) ? Int32Array.from(split.x) : split.x;
  return {
    xs: [{ values: x, shape: split.xShape, dtype: inputDtype }],
    ys: [{ values: split.y, shape: split.yShape, dtype: 'float32' }],
    ...(split.weights ? { weights: split.weights } : {}),
    count: split.count,
  };
}

export function toTensors(tf: TF, split: MultiSplit): SplitTensors {
  const upload = (a: HostArray) => tf.tensor(a.values, a.shape, a.dtype);
  return { xs: split.xs.map(upload), ys: split.ys.map(upload), count: split.count };
}

export function disposeTensors(t: SplitTensors): void {
  for (const x of t.xs) x.dispose();
  for (const y of t.ys) y.dispose();
}

/** Rows [from, to) of every array, as views on the same memory. */
function rows(split: MultiSplit, from: number, to: number): MultiSplit {
  const part = (a: HostArray): HostArray => {
    const row = a.values.length / split.count;
    return { values: a.values.subarray(from * row, to * row), shape: [to - from, ...a.shape.slice(1)], dtype: a.dtype };
  };
  const weights = split.weights?.subarray(from, to);
  return { xs: split.xs.map(part), ys: split.ys.map(part), ...(weights ? { weights } : {}), count: to - from };
}

/**
 * Keras's validation_split: the last `fraction` of the samples, taken before
 * any shuffling, is held out. Returns views on the same arrays (no copy).
 */
export function holdOut(split: MultiSplit, fraction: number): { train: MultiSplit; validation?: MultiSplit } {
  // Keras's split point, floor(n·(1 − fraction)), as tfjs's model.fit takes it too; too few samples to split trains on all.
  const trainCount = Math.floor(split.count * (1 - fraction));
  if (trainCount <= 0 || trainCount >= split.count) return { train: split };
  return { train: rows(split, 0, trainCount), validation: rows(split, trainCount, split.count) };
}

/** The largest absolute input value, to tell the user their inputs are unscaled when the loss blows up. */
export function largestMagnitude(split: MultiSplit): number {
  let m = 0;
  for (const { values } of split.xs) {
    for (let i = 0; i < values.length; i++) {
      const v = Math.abs(values[i]);
      if (v > m) m = v;
    }
  }
  return m;
}
