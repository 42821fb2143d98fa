/**
 * `--data json:FILE`: token-id sequences for embedding and recurrent models,
 * either
 *
 *   [{"tokens": [12, 5, 7], "label": 1}, ...]      or      {"x": [[12, 5, 7], ...], "y": [1, ...]}
 *
 * Sequences are padded with 0 at the front, or cut from the front, to the
 * input's length — Keras's pad_sequences defaults (padding='pre',
 * truncating='pre'). An input of length `?` pads to the longest sequence.
 */
import { DataError, lineSpan } from './errors.js';
import { readText } from './files.js';
import { formatDims } from './shape.js';
import { checkTokenId } from './tokens.js';
import type { DataRequest, RecordRef, Samples } from './types.js';

const EXPECTED = 'an array of records `[{"tokens": [12, 5, 7], "label": 1}, ...]` or an object `{"x": [[12, 5, 7], ...], "y": [1, ...]}`';

interface Sequence {
  tokens: unknown;
  label: unknown;
}

/** A JSON data file's contents; a syntax error names its line and what the file should hold (`expected`). */
export function parseJsonFile(file: string, expected: string = EXPECTED): unknown {
  const text = readText(file);
  try {
    return JSON.parse(text);
  } catch (e) {
    // V8 reports "... at position N"; turn that into a line for the user.
    const position = /position (\d+)/.exec((e as Error).message)?.[1];
    const line = position === undefined ? undefined : text.slice(0, Number(position)).split('\n').length;
    throw new DataError(`not valid JSON: ${(e as Error).message}`, {
      file,
      record: line ? `line ${line}` : undefined,
      span: line ? lineSpan(line) : undefined,
      help: `the file must hold ${expected}`,
    });
  }
}

function describeJson(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object')
    return `an object with keys ${
      Object.keys(value)
        .map((k) => `"${k}"`)
        .join(', ') || '(none)'
    }`;
  return `a ${typeof value}`;
}

/** The file's sequences, whichever of the two layouts it uses. */
function sequencesOf(data: unknown, file: string): Sequence[] {
  if (Array.isArray(data)) {
    return data.map((r, i) => {
      if (typeof r !== 'object' || r === null || Array.isArray(r) || !('tokens' in r) || !('label' in r)) {
        throw new DataError(`record ${i + 1} is ${describeJson(r)}, not {"tokens": [...], "label": N}`, {
          file,
          record: `record ${i + 1}`,
          help: `the file must hold ${EXPECTED}`,
        });
      }
      return r as Sequence;
    });
  }
  if (typeof data === 'object' && data !== null && 'x' in data && 'y' in data && Array.isArray(data.x) && Array.isArray(data.y)) {
    if (data.x.length !== data.y.length) {
      throw new DataError(`"x" has ${data.x.length} sequences but "y" has ${data.y.length} labels`, {
        file,
        help: 'give one label in "y" per sequence in "x"',
      });
    }
    const y = data.y;
    return data.x.map((tokens, i) => ({ tokens, label: y[i] }));
  }
  throw new DataError(`the file holds ${describeJson(data)}; expected ${EXPECTED}`, {
    file,
    help: 'reshape the file into one of those two layouts',
  });
}

/** The padded length, and the sample shape: [L], or [L, 1] for an input like `?x1`. */
function sequenceShape(inputShape: readonly (number | null)[], longest: number, file: string): { length: number; sampleShape: number[] } {
  const oneFeature = inputShape.length === 2 && inputShape[1] === 1;
  if (inputShape.length !== 1 && !oneFeature) {
    throw new DataError(`the data holds one token sequence per sample; the spec's input is ${formatDims(inputShape)}`, {
      file,
      help: 'use `input ? int32` (or a fixed length such as `input 100 int32`) followed by `embedding VOCAB DIM`',
    });
  }
  const length = inputShape[0] ?? Math.max(1, longest);
  return { length, sampleShape: oneFeature ? [length, 1] : [length] };
}

export function loadJsonSamples(file: string, req: DataRequest): Samples {
  const sequences = sequencesOf(req.json ?? parseJsonFile(file), file);
  if (sequences.length === 0) {
    throw new DataError('the file holds no sequences', { file, help: `the file must hold ${EXPECTED}` });
  }
  const recordOf = (i: number): RecordRef => ({ file, record: `record ${i + 1}` });

  const labels = new Float64Array(sequences.length);
  sequences.forEach((s, i) => {
    if (!Array.isArray(s.tokens)) {
      throw new DataError(`the tokens of record ${i + 1} are ${describeJson(s.tokens)}, not an array of token ids`, {
        file,
        record: recordOf(i).record,
        help: 'write the tokens as a list of ids, e.g. [12, 5, 7]',
      });
    }
    s.tokens.forEach((t: unknown, k: number) => {
      if (typeof t !== 'number') {
        throw new DataError(`token ${k + 1} of record ${i + 1} is ${describeJson(t)}, not a number`, {
          file,
          record: recordOf(i).record,
          help: 'tokens are ids: whole numbers 0, 1, 2, ... (map words to ids first)',
        });
      }
      if (req.inputDtype === 'int32') checkTokenId(t, req.maxTokenId, recordOf(i), `token ${k + 1}`);
    });
    if (typeof s.label !== 'number' || !Number.isFinite(s.label)) {
      throw new DataError(`the label of record ${i + 1} is ${describeJson(s.label)}, not a number`, {
        file,
        record: recordOf(i).record,
        help: 'give each sequence a numeric label, e.g. "label": 1',
      });
    }
    labels[i] = s.label;
  });

  const longest = sequences.reduce((m, s) => Math.max(m, (s.tokens as number[]).length), 0);
  const { length, sampleShape } = sequenceShape(req.inputShape, longest, file);
  const features = req.inputDtype === 'int32' ? new Int32Array(sequences.length * length) : new Float32Array(sequences.length * length);
  sequences.forEach((s, i) => {
    const tokens = s.tokens as number[];
    const kept = tokens.slice(Math.max(0, tokens.length - length)); // truncating='pre': keep the end
    features.set(kept, i * length + (length - kept.length)); // padding='pre': zeros in front
  });
  return { features, sampleShape, labels, count: sequences.length, recordOf };
}
