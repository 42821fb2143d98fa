/** Matching the shape of the data to the shape of the model's input. */
import { DataError } from './errors.js';

/** 28x28x1, ?x16 — the way `.model` files write shapes. */
export function formatDims(shape: readonly (number | null)[]): string {
  return shape.map((d) => (d === null ? '?' : String(d))).join('x');
}

export function product(dims: readonly number[]): number {
  return dims.reduce((p, d) => p * d, 1);
}

function describeSample(sampleShape: readonly number[]): string {
  const size = product(sampleShape);
  return sampleShape.length === 1 ? `${size} features` : `${formatDims(sampleShape)} values (${size} in all)`;
}

export interface FitOptions {
  /** Named in the error. */
  file: string;
  /**
   * Whether the data may be reshaped to the input when the element counts
   * agree (784 ↔ 28x28x1). True for image sets such as MNIST, where both
   * layouts are common; false for tables, where a mismatch is more likely a mistake.
   */
  autoReshape: boolean;
}

/**
 * The shape one sample takes when fed to the model: the data's own shape when
 * it matches the input (`?` matches anything), the input's shape when an
 * automatic reshape is allowed and the counts agree, otherwise a DataError
 * that says how to change the spec.
 */
export function fitSampleShape(sampleShape: readonly number[], inputShape: readonly (number | null)[], opts: FitOptions): number[] {
  const sameRank = sampleShape.length === inputShape.length;
  if (sameRank && inputShape.every((d, i) => d === null || d === sampleShape[i])) return [...sampleShape];

  const size = product(sampleShape);
  const known = inputShape.filter((d): d is number => d !== null);
  const knownSize = product(known);
  const unknownCount = inputShape.length - known.length;
  if (opts.autoReshape) {
    if (unknownCount === 0 && knownSize === size) return known;
    if (unknownCount === 1 && size % knownSize === 0) return inputShape.map((d) => d ?? size / knownSize);
  }

  const countsAgree = unknownCount === 0 && knownSize === size;
  const inputText = formatDims(inputShape);
  const message =
    `the data has ${describeSample(sampleShape)} per sample; the spec's input is ${inputText}` +
    (countsAgree || unknownCount > 0 || inputShape.length === 1 ? '' : ` (${knownSize} values)`);
  const help = countsAgree
    ? `change the input to \`input ${size}\`, followed by \`reshape ${inputText}\` if the layers need that shape`
    : sampleShape.length > 1 && opts.autoReshape
      ? `change the input to \`input ${formatDims(sampleShape)}\` or \`input ${size}\``
      : `change the input to \`input ${formatDims(sampleShape)}\``;
  throw new DataError(message, { file: opts.file, help });
}

/** Pixel and table data are real numbers; an int32 (token id) input cannot take them. */
export function requireFloatInput(inputDtype: 'float32' | 'int32', what: string, file: string): void {
  if (inputDtype === 'int32') {
    throw new DataError(`${what} holds real numbers, but the spec's input is int32 (token ids)`, {
      file,
      help: 'remove `int32` from the `input` line, or use `json:FILE` token sequences for an embedding model',
    });
  }
}
