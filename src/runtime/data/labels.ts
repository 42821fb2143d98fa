/** Encoding raw labels the way the model's loss expects them, with checks against the model's outputs. */
import { DataError, lineSpan } from './errors.js';
import type { LabelMode, RecordRef, Samples } from './types.js';

const LOSS_OF_MODE: Record<LabelMode, string> = {
  onehot: 'categorical_crossentropy',
  sparse: 'sparse_categorical_crossentropy',
  binary: 'binary_crossentropy',
  regression: 'a regression loss',
};

function classesText(units: number): string {
  return units === 1 ? '1 class (0)' : `${units} classes (0–${units - 1})`;
}

function failAt(ref: RecordRef, message: string, help: string): never {
  throw new DataError(message, { file: ref.file, record: ref.record, help, span: ref.line ? lineSpan(ref.line) : undefined });
}

function maxLabel(labels: Float64Array): number {
  let max = -Infinity;
  for (const v of labels) if (v > max) max = v;
  return max;
}

/** Checks that label i is a class index below `units`. */
function checkClassIndex(samples: Samples, i: number, mode: LabelMode, units: number): number {
  const v = samples.labels[i];
  if (!Number.isInteger(v)) {
    failAt(
      samples.recordOf(i),
      `label ${v} in ${samples.recordOf(i).record} is not a class index; ${LOSS_OF_MODE[mode]} needs whole numbers ${units === 1 ? '0' : `0–${units - 1}`}`,
      'for real-valued targets use `loss=mse` and end the model with `dense 1`',
    );
  }
  if (v < 0 || v >= units) {
    const top = maxLabel(samples.labels);
    const help =
      v < 0
        ? 'class indices start at 0; renumber the labels'
        : units === 1 && top === 1
          ? 'for two classes with one output use `loss=binary_crossentropy` and end the model with `dense 1 sigmoid`'
          : `the labels go up to ${top}: make the last layer ${top + 1} units wide, e.g. \`dense ${top + 1} softmax\``;
    failAt(samples.recordOf(i), `label ${v} in ${samples.recordOf(i).record} is outside the model's ${classesText(units)}`, help);
  }
  return v;
}

/**
 * Labels as the loss wants them: one-hot rows for categorical_crossentropy,
 * class indices for sparse_categorical_crossentropy, 0/1 for
 * binary_crossentropy, raw values for regression losses. A binary or
 * regression loss on a model with several outputs gets one-hot rows, as when a
 * Keras user trains a softmax classifier with `mse`.
 */
export function encodeLabels(samples: Samples, mode: LabelMode, units: number): { y: Float32Array; yShape: number[] } {
  const n = samples.count;
  if (mode === 'onehot' || ((mode === 'binary' || mode === 'regression') && units > 1)) {
    const y = new Float32Array(n * units);
    for (let i = 0; i < n; i++) y[i * units + checkClassIndex(samples, i, mode, units)] = 1;
    return { y, yShape: [n, units] };
  }
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (mode === 'sparse') {
      y[i] = checkClassIndex(samples, i, mode, units);
    } else if (mode === 'binary') {
      const v = samples.labels[i];
      if (v !== 0 && v !== 1) {
        const top = maxLabel(samples.labels);
        const help =
          Number.isInteger(top) && top > 1
            ? `for ${top + 1} classes use \`loss=sparse_categorical_crossentropy\` and end the model with \`dense ${top + 1} softmax\``
            : 'binary labels are 0 or 1; recode the label column';
        failAt(samples.recordOf(i), `label ${v} in ${samples.recordOf(i).record} is not 0 or 1, which binary_crossentropy needs`, help);
      }
      y[i] = v;
    } else {
      y[i] = samples.labels[i];
    }
  }
  return { y, yShape: [n, 1] };
}

/**
 * When the data names its classes (image folders, words in a label column),
 * a model with too few outputs is reported once for the whole set rather than
 * at the first sample of an extra class.
 */
export function checkClassCount(classNames: readonly string[], mode: LabelMode, units: number, file: string): void {
  const n = classNames.length;
  const listed = classNames.length <= 12 ? ` (${classNames.join(', ')})` : '';
  if (mode === 'regression' && units === 1) return;
  if (mode === 'binary' && units === 1) {
    if (n > 2) {
      throw new DataError(`the data has ${n} classes${listed}, but binary_crossentropy with one output tells only 2 apart`, {
        file,
        help: `use \`loss=sparse_categorical_crossentropy\` and end the model with \`dense ${n} softmax\``,
      });
    }
    return;
  }
  if (n > units) {
    throw new DataError(`the data has ${n} classes${listed}, but the model's output has ${units} unit${units === 1 ? '' : 's'}`, {
      file,
      help: `end the model with \`dense ${n} softmax\``,
    });
  }
}
