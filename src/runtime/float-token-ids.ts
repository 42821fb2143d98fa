/**
 * A float input that feeds an embedding (check warns, W-EMBEDDING-DTYPE, but
 * Keras allows it) is looked up as token ids: Keras and TensorFlow.js cast
 * its values to int32, dropping the fraction. The loaders check the ids of
 * int32 inputs as they read them; these values are checked here once loaded,
 * as a value outside the embedding's table would fail inside training.
 */
import type { IR } from '../ir/types.js';
import { DataError } from './data/errors.js';
import type { MultiSplit } from './split-tensors.js';

/** Throws a DataError for the first value of a float input that is not an id its embedding takes once cast (0..maxTokenId). */
export function checkFloatTokenIds(ir: IR, split: MultiSplit, file: string, maxTokenIdOf: (inputId: string) => number | undefined): void {
  ir.inputs.forEach((input, k) => {
    if (input.dtype !== 'float32') return;
    const most = maxTokenIdOf(input.id);
    const values = split.xs[k]?.values;
    if (most === undefined || values === undefined) return;
    const perSample = values.length / Math.max(split.count, 1);
    for (let i = 0; i < values.length; i++) {
      const id = Math.trunc(values[i]!);
      if (id >= 0 && id <= most) continue;
      const sample = Math.floor(i / perSample) + 1;
      throw new DataError(`sample ${sample} gives the input \`${input.name}\` the value ${values[i]}, but the input feeds an embedding that looks up token ids 0 to ${most} (a value is cast to a whole number first)`, {
        file,
        help: `declare the ids as integers (\`input ${input.shape.map((d) => d ?? '?').join('x')} int32\`) and give ids below ${most + 1}, or raise the embedding's input_dim`,
      });
    }
  });
}
