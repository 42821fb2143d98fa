/** Checks on token ids, the values an int32 input (an embedding's input) takes. */
import { DataError, lineSpan } from './errors.js';
import type { RecordRef } from './types.js';

/**
 * Throws unless `value` is a whole number in 0..maxTokenId (when the model
 * bounds it: an embedding with input_dim D accepts ids below D).
 */
export function checkTokenId(value: number, maxTokenId: number | undefined, ref: RecordRef, where: string): void {
  const details = { file: ref.file, record: ref.record, span: ref.line ? lineSpan(ref.line) : undefined };
  if (!Number.isInteger(value)) {
    throw new DataError(`${where} in ${ref.record} is ${value}, not a whole number; an int32 input takes token ids`, {
      ...details,
      help: 'token ids are whole numbers 0, 1, 2, ...; for real-valued features drop `int32` from the `input` line',
    });
  }
  if (value < 0) {
    throw new DataError(`${where} in ${ref.record} is ${value}; token ids cannot be negative`, {
      ...details,
      help: 'token ids start at 0 (which also pads short sequences)',
    });
  }
  if (maxTokenId !== undefined && value > maxTokenId) {
    throw new DataError(`token id ${value} in ${ref.record} is not below the embedding's input_dim ${maxTokenId + 1}`, {
      ...details,
      help: `raise the embedding's input_dim to at least ${value + 1}, or re-encode the tokens below ${maxTokenId + 1}`,
    });
  }
}
