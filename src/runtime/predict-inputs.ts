/**
 * The inputs `mlc predict` accepts: image files, a CSV file (one sample per
 * row, an optional header), or a JSON file (one sample, or an array of
 * samples, each a flat or nested array of numbers).
 */
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { escapeControl } from '../diagnostics/render.js';
import { lineSpan } from './data/errors.js';
import { readText } from './data/files.js';
import { DataError, loadImageFiles } from './data/index.js';
import { checkTokenId } from './data/tokens.js';

export interface PredictInputs {
  x: Float32Array | Int32Array;
  xShape: number[];
  /** How each sample is named in the output: `digit.png`, `rows.csv:2`, `x.json[0]`. */
  labels: string[];
}

const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff'];

function sampleSize(shape: readonly (number | null)[], file: string): number {
  if (shape.some((d) => d === null)) {
    throw new DataError('prediction needs a model input of fixed size', { file, help: 'give every dimension of the `input` line a size' });
  }
  return (shape as number[]).reduce((p, d) => p * d, 1);
}

/** The largest finite float32; a larger value becomes Infinity in the model and NaN in its output. */
const FLOAT32_MAX = 3.4028234663852886e38;

const INT32_MAX = 2 ** 31 - 1;

export interface PredictOptions {
  /** Largest token id an int32 input accepts (an embedding's input_dim - 1). */
  maxTokenId?: number;
  /** The CSV columns the model was trained with that are not inputs (the label, the sample weights): dropped when a prediction file still has them. */
  otherColumns?: readonly string[];
}

/** Checks one value for the model's input dtype; `where` names it for the error. */
function checkValue(v: number, dtype: 'float32' | 'int32', opts: PredictOptions, ref: { file: string; record: string; line?: number }, where: string): void {
  const fail = (what: string, help: string) =>
    new DataError(`${where} in ${ref.record} ${what}`, { file: ref.file, record: ref.record, span: ref.line ? lineSpan(ref.line) : undefined, help });
  if (!Number.isFinite(v)) throw fail(`is ${v}, not a number the model can take`, 'give finite numbers');
  if (dtype === 'int32') {
    checkTokenId(v, opts.maxTokenId, ref, where);
    if (v > INT32_MAX) throw fail(`is ${v}, beyond the largest int32 (${INT32_MAX})`, 'token ids must fit in 32 bits');
  }
  else if (Math.abs(v) > FLOAT32_MAX) throw fail(`is ${v}, beyond the largest float32 (${FLOAT32_MAX.toPrecision(5)})`, 'scale the inputs as they were scaled for training');
}

function flatten(v: unknown, out: number[], file: string, record: string): void {
  if (typeof v === 'number') out.push(v);
  else if (Array.isArray(v)) for (const item of v) flatten(item, out, file, record);
  else throw new DataError(`expected numbers, found ${escapeControl(String(JSON.stringify(v)).slice(0, 40))} in ${record}`, { file, record, help: 'give each sample as an array of numbers' });
}

function fromRows(rows: number[][], names: string[], shape: (number | null)[], dtype: 'float32' | 'int32', file: string): PredictInputs {
  const size = sampleSize(shape, file);
  rows.forEach((r, i) => {
    if (r.length !== size) {
      throw new DataError(`${names[i]} has ${r.length} values; the model's input takes ${size}`, { file, record: names[i],
        help: `give ${size} numbers per sample (${shape.join('x')})` });
    }
  });
  const flat = rows.flat();
  return { x: dtype === 'int32' ? Int32Array.from(flat) : Float32Array.from(flat), xShape: [rows.length, ...(shape as number[])], labels: names };
}

/** A cell that reads as a number, counting NaN and Infinity (which are then refused as values, not taken for a header). */
function isNumberLike(cell: string): boolean {
  return cell !== '' && (!Number.isNaN(Number(cell)) || /^[+-]?(nan|inf(inity)?)$/i.test(cell));
}

function csvInputs(file: string, shape: (number | null)[], dtype: 'float32' | 'int32', opts: PredictOptions): PredictInputs {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(readText(file), { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as typeof records;
  } catch (e) {
    throw new DataError(`not valid CSV: ${(e as Error).message}`, { file, help: 'check the quotes; a cell with a comma must be quoted "like, this"' });
  }
  // A first row with a cell that is not a number is a header.
  const header = records.length > 0 && records[0].record.some((c) => c !== '' && !isNumberLike(c)) ? records[0].record : undefined;
  const rows = header ? records.slice(1) : records;
  if (rows.length === 0) {
    throw new DataError(header ? 'the file has a header but no rows' : 'the file is empty', { file, help: 'give one sample per row, its input features as numbers' });
  }
  // A file that still has the label (or weight) column the model was trained with: those columns are not inputs.
  const size = sampleSize(shape, file);
  const other = header ? header.flatMap((name, c) => (opts.otherColumns?.includes(name) ? [c] : [])) : [];
  const dropped = other.length > 0 && header!.length === size + other.length ? other : [];
  const kept = header ? header.map((_, c) => c).filter((c) => !dropped.includes(c)) : [];
  const values = rows.map((r) => {
    const ref = { file, record: `line ${r.info.lines}`, line: r.info.lines };
    const cells = dropped.length > 0 && r.record.length === header!.length ? r.record.filter((_, c) => !dropped.includes(c)) : r.record;
    return cells.map((cell, c) => {
      const where = header ? `column \`${escapeControl(header[kept[c] ?? c] ?? String(c + 1))}\`` : `value ${c + 1}`;
      if (cell === '') {
        throw new DataError(`${where} in ${ref.record} is empty`, { file, record: ref.record, span: lineSpan(ref.line), help: 'fill in every input value' });
      }
      if (!isNumberLike(cell)) {
        throw new DataError(`${where} in ${ref.record} is \`${escapeControl(cell.slice(0, 40))}\`, not a number`, { file, record: ref.record, span: lineSpan(ref.line),
          help: 'prediction rows hold the input features only, as numbers' });
      }
      const v = Number(cell);
      checkValue(v, dtype, opts, ref, where);
      return v;
    });
  });
  return fromRows(values, rows.map((r) => `${file}:${r.info.lines}`), shape, dtype, file);
}

function jsonInputs(file: string, shape: (number | null)[], dtype: 'float32' | 'int32', opts: PredictOptions): PredictInputs {
  let value: unknown;
  try {
    value = JSON.parse(readText(file));
  } catch (e) {
    throw new DataError(`not valid JSON: ${(e as Error).message}`, { file, help: 'give an array of samples, e.g. [[0.1, 0.2], [0.3, 0.4]]' });
  }
  const size = sampleSize(shape, file);
  const example = `give one sample of ${size} numbers (${shape.join('x')}), or an array of such samples`;
  const all: number[] = [];
  flatten(value, all, file, 'the file');
  // One sample when the numbers make exactly one; otherwise an array of samples, each checked on its own (never re-chunked).
  let samples: unknown[];
  if (all.length === size) samples = [value];
  else if (Array.isArray(value) && value.length > 0 && value.every(Array.isArray)) samples = value;
  else throw new DataError(`the file holds ${all.length} numbers, not one ${size}-value sample or an array of them`, { file, help: example });
  const names = samples.map((_, i) => (samples.length === 1 && all.length === size ? file : `${file}[${i}]`));
  const rows = samples.map((sample, i) => {
    const row: number[] = [];
    flatten(sample, row, file, names[i]);
    row.forEach((v, k) => checkValue(v, dtype, opts, { file, record: names[i] }, `value ${k + 1}`));
    return row;
  });
  return fromRows(rows, names, shape, dtype, file);
}

async function imageInputs(files: string[], shape: (number | null)[]): Promise<PredictInputs> {
  // A flat input of a square size (784 = 28x28) takes grayscale images, flattened.
  const side = shape.length === 1 && shape[0] !== null ? Math.sqrt(shape[0]) : NaN;
  const imageShape = Number.isInteger(side) ? [side, side, 1] : shape;
  const loaded = await loadImageFiles(files, imageShape);
  return { x: loaded.x, xShape: [loaded.count, ...(shape as number[])], labels: files };
}

/** Reads every INPUT argument into one batch. */
export async function readPredictInputs(files: string[], shape: (number | null)[], dtype: 'float32' | 'int32', opts: PredictOptions = {}): Promise<PredictInputs> {
  const missing = files.find((f) => !existsSync(f));
  if (missing !== undefined) throw new DataError('no such file', { file: missing, help: 'check the path of each INPUT' });
  const images = files.filter((f) => IMAGE_EXTENSIONS.includes(extname(f).toLowerCase()));
  const parts: PredictInputs[] = [];
  if (images.length > 0) parts.push(await imageInputs(images, shape));
  for (const f of files) {
    const ext = extname(f).toLowerCase();
    if (ext === '.csv') parts.push(csvInputs(f, shape, dtype, opts));
    else if (ext === '.json') parts.push(jsonInputs(f, shape, dtype, opts));
    else if (!IMAGE_EXTENSIONS.includes(ext)) {
      throw new DataError('cannot tell what kind of input this is', { file: f, help: 'give image files (.png, .jpg), a .csv file or a .json file' });
    }
  }
  const count = parts.reduce((n, p) => n + p.xShape[0], 0);
  const x = dtype === 'int32' ? new Int32Array(count * sampleSize(shape, files[0])) : new Float32Array(count * sampleSize(shape, files[0]));
  let at = 0;
  for (const p of parts) {
    x.set(p.x, at);
    at += p.x.length;
  }
  return { x, xShape: [count, ...(shape as number[])], labels: parts.flatMap((p) => p.labels) };
}
