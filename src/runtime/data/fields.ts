/**
 * `--data json:FILE` for graph models: one field per model input and per
 * output, each an array with one entry per sample,
 *
 *   {"image": [[...784 values...], ...], "meta": [[0.1, 3, ...], ...], "cls": [3, 7, ...], "box": [[0.2, 0.4, 0.1, 0.3], ...]}
 *
 * Inputs and outputs are found by name: an `input NAME SHAPE` line's name,
 * and an output's name (its tensor name in `output A B`, else its layer
 * name). An input sample is a number or a nested array of the input's shape;
 * a label is a class index or a row for class losses, as for the other
 * sources, or numbers of the output's shape for regression. Every 5th sample
 * is held out for test, as with the other loaders.
 */
import { DataError } from './errors.js';
import { parseJsonFile } from './json.js';
import { HOLD_OUT_EVERY } from './samples.js';
import { formatDims, product } from './shape.js';
import { didYouMean } from './suggest.js';
import { checkTokenId } from './tokens.js';
import type { LabelMode } from './types.js';

export interface FieldInput {
  name: string;
  /** Without the batch dimension. */
  shape: (number | null)[];
  dtype: 'float32' | 'int32';
  /** An embedding's input_dim - 1, when the input feeds one. */
  maxTokenId?: number;
}

export interface FieldOutput {
  name: string;
  /** Without the batch dimension. */
  shape: (number | null)[];
  labelMode: LabelMode;
}

export interface FieldsRequest {
  file: string;
  inputs: FieldInput[];
  outputs: FieldOutput[];
  limit?: number;
  /** For prediction: the outputs' fields may be absent. */
  inputsOnly?: boolean;
  /** The file's contents, when the caller has parsed it already. */
  json?: unknown;
  /** The field holding each sample's weight in the loss (Keras's sample_weight). */
  weightField?: string;
}

export interface FieldArray {
  values: Float32Array | Int32Array;
  shape: number[];
  dtype: 'float32' | 'int32';
}

export interface FieldSplit {
  xs: FieldArray[];
  ys: FieldArray[];
  /** Each sample's weight, when the request named a weight field. */
  weights?: Float32Array;
  count: number;
}

export interface FieldDataset {
  train: FieldSplit;
  test?: FieldSplit;
  description: string;
}

const FIELDS_EXPECTED = 'one object with a field per model input and output, e.g. {"image": [[...], ...], "label": [3, ...]}';

function fieldsOf(value: unknown, file: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DataError('expected one object with a field per model input and output', { file, help: 'write e.g. {"image": [[...], ...], "label": [3, ...]}' });
  }
  return value as Record<string, unknown>;
}

/** Whether a JSON file's contents are in this format for a model with these input names: an object holding one of them. */
export function holdsFields(value: unknown, inputNames: readonly string[]): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && inputNames.some((n) => n in value);
}

function flatten(v: unknown, out: number[], fail: (what: string) => never): void {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) fail(`holds ${v}, which is not a finite number`);
    out.push(v);
  } else if (Array.isArray(v)) for (const item of v) flatten(item, out, fail);
  else fail(`holds ${JSON.stringify(v)}, not a number`);
}

function column(fields: Record<string, unknown>, name: string, role: string, file: string): unknown[] {
  const v = fields[name];
  if (v === undefined) {
    throw new DataError(`the data has no field \`${name}\` for the model's ${role} \`${name}\``, {
      file, help: `${didYouMean(name, Object.keys(fields), 'a field such as')}; give one field per model input and output`,
    });
  }
  if (!Array.isArray(v)) throw new DataError(`field \`${name}\` must be an array with one entry per sample`, { file });
  return v;
}

function fixedShape(shape: (number | null)[], name: string, role: string, file: string): number[] {
  if (shape.some((d) => d === null)) {
    throw new DataError(`the model's ${role} \`${name}\` has a \`?\` dimension (${formatDims(shape)}); JSON fields need fixed sizes`, {
      file, help: 'give every dimension of the input a size',
    });
  }
  return shape as number[];
}

function encodeInput(samples: unknown[], input: FieldInput, file: string): FieldArray {
  const shape = fixedShape(input.shape, input.name, 'input', file);
  const size = product(shape);
  const values: number[] = [];
  samples.forEach((sample, i) => {
    const record = `field \`${input.name}\`, sample ${i}`;
    const fail = (what: string): never => { throw new DataError(`${record} ${what}`, { file, record, help: `give each sample ${size} numbers (${formatDims(shape)})` }); };
    const row: number[] = [];
    flatten(sample, row, fail);
    if (row.length !== size) fail(`has ${row.length} values; the input \`${input.name}\` takes ${size} (${formatDims(shape)})`);
    if (input.dtype === 'int32') for (const v of row) checkTokenId(v, input.maxTokenId, { file, record }, 'a token id');
    values.push(...row);
  });
  const typed = input.dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values);
  return { values: typed, shape: [samples.length, ...shape], dtype: input.dtype };
}

function encodeOutput(samples: unknown[], output: FieldOutput, file: string): FieldArray {
  const shape = fixedShape(output.shape, output.name, 'output', file);
  const units = shape[shape.length - 1] ?? 1;
  const classes = output.labelMode === 'onehot' || output.labelMode === 'sparse';
  const width = output.labelMode === 'sparse' ? 1 : product(shape);
  const values = new Float32Array(samples.length * width);
  samples.forEach((sample, i) => {
    const record = `field \`${output.name}\`, sample ${i}`;
    const fail = (what: string, help?: string): never => { throw new DataError(`${record} ${what}`, { file, record, help }); };
    const row: number[] = [];
    flatten(sample, row, (what) => fail(what));
    if (classes && row.length === 1) {
      const c = row[0];
      if (!Number.isInteger(c) || c < 0 || c >= units) fail(`is ${c}, not a class index 0–${units - 1}`, `the output \`${output.name}\` has ${units} classes`);
      if (output.labelMode === 'sparse') values[i] = c;
      else values[i * width + c] = 1;
      return;
    }
    if (row.length !== width) {
      fail(`has ${row.length} values; the output \`${output.name}\` gives ${width} (${formatDims(shape)})`,
        classes ? `give a class index, or a one-hot row of ${units}` : `give ${width} numbers per sample`);
    }
    values.set(row, i * width);
  });
  return { values, shape: [samples.length, ...(output.labelMode === 'sparse' ? [1] : shape)], dtype: 'float32' };
}

function encodeWeights(samples: unknown[], name: string, file: string): Float32Array {
  return Float32Array.from(samples, (w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      const record = `field \`${name}\`, sample ${i}`;
      throw new DataError(`${record} is ${JSON.stringify(w)}, not a sample weight (a number ≥ 0)`, { file, record, help: 'give every sample a weight of 0 or more (1 counts a sample once)' });
    }
    return w;
  });
}

function select(split: FieldSplit, keep: (i: number) => boolean): FieldSplit {
  const indices = Array.from({ length: split.count }, (_, i) => i).filter(keep);
  const take = (a: FieldArray): FieldArray => {
    const row = a.values.length / Math.max(split.count, 1);
    const out = a.dtype === 'int32' ? new Int32Array(indices.length * row) : new Float32Array(indices.length * row);
    indices.forEach((src, dst) => out.set(a.values.subarray(src * row, (src + 1) * row), dst * row));
    return { values: out, shape: [indices.length, ...a.shape.slice(1)], dtype: a.dtype };
  };
  const weights = split.weights && Float32Array.from(indices, (i) => split.weights![i]);
  return { xs: split.xs.map(take), ys: split.ys.map(take), ...(weights ? { weights } : {}), count: indices.length };
}

export function loadFieldData(req: FieldsRequest): FieldDataset {
  const fields = fieldsOf(req.json ?? parseJsonFile(req.file, FIELDS_EXPECTED), req.file);
  const inputs = req.inputs.map((input) => column(fields, input.name, 'input', req.file));
  const outputs = req.inputsOnly ? [] : req.outputs.map((output) => column(fields, output.name, 'output', req.file));
  const weightColumn = req.weightField === undefined ? [] : [column(fields, req.weightField, 'sample weights', req.file)];
  const names = [...req.inputs.map((i) => i.name), ...(req.inputsOnly ? [] : req.outputs.map((o) => o.name)), ...(req.weightField === undefined ? [] : [req.weightField])];
  const columns = [...inputs, ...outputs, ...weightColumn];
  const count = columns[0]?.length ?? 0;
  const ragged = columns.findIndex((c) => c.length !== count);
  if (ragged >= 0) {
    throw new DataError(`field \`${names[ragged]}\` has ${columns[ragged].length} samples, but \`${names[0]}\` has ${count}`, {
      file: req.file, help: 'every field holds one entry per sample, in the same order',
    });
  }
  if (count === 0) throw new DataError('the data has no samples', { file: req.file, help: 'give each field at least one sample' });
  const n = req.limit === undefined ? count : Math.min(count, req.limit);
  const all: FieldSplit = {
    xs: req.inputs.map((input, k) => encodeInput(inputs[k].slice(0, n), input, req.file)),
    ys: req.inputsOnly ? [] : req.outputs.map((output, k) => encodeOutput(outputs[k].slice(0, n), output, req.file)),
    ...(req.weightField === undefined ? {} : { weights: encodeWeights(weightColumn[0].slice(0, n), req.weightField, req.file) }),
    count: n,
  };
  if (req.inputsOnly) return { train: all, description: `${n} samples of ${req.file}` };
  const heldOut = (i: number) => i % HOLD_OUT_EVERY === HOLD_OUT_EVERY - 1;
  const test = n >= HOLD_OUT_EVERY ? select(all, heldOut) : undefined;
  const train = test ? select(all, (i) => !heldOut(i)) : all;
  return {
    train, test,
    description: `${n} samples of ${req.file} (fields ${names.map((f) => `\`${f}\``).join(', ')}; every 5th held out for test)`,
  };
}
