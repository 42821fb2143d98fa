/**
 * The inputs `mlc predict` accepts: image files, a CSV file (one sample per
 * row, an optional header), or a JSON file (one sample, or an array of
 * samples, each a flat or nested array of numbers).
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { DataError, loadImageFiles } from './data/index.js';

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

function flatten(v: unknown, out: number[], file: string, record: string): void {
  if (typeof v === 'number') out.push(v);
  else if (Array.isArray(v)) for (const item of v) flatten(item, out, file, record);
  else throw new DataError(`expected numbers, found ${JSON.stringify(v)}`, { file, record, help: 'give each sample as an array of numbers' });
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

function csvInputs(file: string, shape: (number | null)[], dtype: 'float32' | 'int32'): PredictInputs {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).map((l, i) => ({ text: l.trim(), line: i + 1 })).filter((l) => l.text !== '');
  const parsed = lines.map((l) => ({ ...l, cells: l.text.split(',').map((c) => Number(c.trim())) }));
  // A first row that is not all numbers is a header.
  const rows = parsed.filter((r, i) => !(i === 0 && r.cells.some(Number.isNaN)));
  for (const r of rows) {
    if (r.cells.some(Number.isNaN)) {
      throw new DataError(`line ${r.line} holds a value that is not a number`, { file, record: `line ${r.line}`, span: { line: r.line, column: 1, endLine: r.line, endColumn: 2 },
        help: 'prediction rows hold the input features only, as numbers' });
    }
  }
  return fromRows(rows.map((r) => r.cells), rows.map((r) => `${file}:${r.line}`), shape, dtype, file);
}

function jsonInputs(file: string, shape: (number | null)[], dtype: 'float32' | 'int32'): PredictInputs {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DataError(`not valid JSON: ${(e as Error).message}`, { file, help: 'give an array of samples, e.g. [[0.1, 0.2], [0.3, 0.4]]' });
  }
  const size = sampleSize(shape, file);
  const all: number[] = [];
  flatten(value, all, file, 'the file');
  // One sample, or several: decided by the count of numbers.
  const samples = all.length % size === 0 ? all.length / size : -1;
  if (samples < 1) {
    throw new DataError(`the file holds ${all.length} numbers, not a whole number of ${size}-value samples`, { file,
      help: `give each sample ${size} numbers (${shape.join('x')})` });
  }
  const rows = Array.from({ length: samples }, (_, i) => all.slice(i * size, (i + 1) * size));
  return fromRows(rows, rows.map((_, i) => (samples === 1 ? file : `${file}[${i}]`)), shape, dtype, file);
}

async function imageInputs(files: string[], shape: (number | null)[]): Promise<PredictInputs> {
  // A flat input of a square size (784 = 28x28) takes grayscale images, flattened.
  const side = shape.length === 1 && shape[0] !== null ? Math.sqrt(shape[0]) : NaN;
  const imageShape = Number.isInteger(side) ? [side, side, 1] : shape;
  const loaded = await loadImageFiles(files, imageShape);
  return { x: loaded.x, xShape: [loaded.count, ...(shape as number[])], labels: files };
}

/** Reads every INPUT argument into one batch. */
export async function readPredictInputs(files: string[], shape: (number | null)[], dtype: 'float32' | 'int32'): Promise<PredictInputs> {
  const missing = files.find((f) => !existsSync(f));
  if (missing !== undefined) throw new DataError('no such file', { file: missing, help: 'check the path of each INPUT' });
  const images = files.filter((f) => IMAGE_EXTENSIONS.includes(extname(f).toLowerCase()));
  const parts: PredictInputs[] = [];
  if (images.length > 0) parts.push(await imageInputs(images, shape));
  for (const f of files) {
    const ext = extname(f).toLowerCase();
    if (ext === '.csv') parts.push(csvInputs(f, shape, dtype));
    else if (ext === '.json') parts.push(jsonInputs(f, shape, dtype));
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
