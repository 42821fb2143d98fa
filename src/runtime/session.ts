/**
 * What train, evaluate and predict share: loading TensorFlow.js on the chosen
 * backend, describing the model to the data loaders, and turning runtime
 * failures into the CLI's one-line errors.
 */
import type { IR, ModelFacts } from '../ir/types.js';
import { firstLoss, outputNames, outputSpecs } from '../ir/outputs.js';
import { labelModeFor } from '../ir/training.js';
import { fromSplit, type MultiSplit } from './split-tensors.js';
import { checkDataLengths } from './data-lengths.js';
import { checkFloatTokenIds } from './float-token-ids.js';
import { KEEPS_IDS } from '../ir/compile-checks.js';
import type { DataRequest } from './data/types.js';
import type { TF } from './tf.js';

/** What `--backend` accepts: the names are stated once, in ./backend/types.ts. */
export type { BackendRequest as BackendName } from './backend/types.js';
import type { BackendRequest as BackendName } from './backend/types.js';

export interface LoadedBackend {
  name: string;
  tf: TF;
}

let announced = false;

/**
 * Loads TensorFlow.js on the requested backend (see ./backend/select.ts) and
 * says which, once per process, on stderr: the output of train, evaluate and
 * predict is their results. Why faster backends were passed over is a long
 * line most runs do not need; `verbose` adds it. (A native backend asked for
 * by name that cannot load is an error that gives the reason.) TensorFlow.js's
 * own console messages are kept out of the output, or shown with `verbose`.
 */
export async function loadBackend(requested: BackendName, opts: { verbose?: boolean } = {}): Promise<LoadedBackend> {
  const { quietLibraryConsole } = await import('./backend/library-console.js');
  quietLibraryConsole(opts);
  const { selectBackend } = await import('./backend/select.js');
  const selected = await selectBackend(requested);
  if (!announced) {
    announced = true;
    const why = opts.verbose && selected.skipped ? ` — ${selected.skipped}` : '';
    process.stderr.write(`${selected.note}${why}\n`);
  }
  return { name: selected.name, tf: selected.tf as unknown as TF };
}

export { labelModeFor } from '../ir/training.js';

/** Whether the model has one input and one output, which every data source can feed; graphs with more read field-keyed JSON. */
export function isSingleIO(ir: IR): boolean {
  return ir.inputs.length === 1 && ir.outputs.length === 1;
}

/** The model's single input, for what only one-input models do (the classic data sources, image prediction). */
export function onlyInput(ir: IR): IR['inputs'][number] {
  if (ir.inputs.length !== 1) {
    throw new RuntimeUsageError(`the model has ${ir.inputs.length} inputs (${ir.inputs.map((i) => i.name).join(', ')}); give its data as json:FILE with one field per input and output`);
  }
  return ir.inputs[0];
}

/** Each output's shape without the batch dimension, in output order. */
export function outputShapesOf(ir: IR, facts: ModelFacts): (number | null)[][] {
  return ir.outputs.map((id) => {
    const node = facts.nodes.find((n) => n.id === id);
    if (node) return node.outputShape.slice(1);
    const input = ir.inputs.find((i) => i.id === id);
    return input ? input.shape : [1];
  });
}

/** Describes the model to the data loaders. */
export function dataRequestFor(ir: IR, units: number, spec: string, extra: DataExtras = {}): DataRequest {
  const input = onlyInput(ir);
  const maxTokenId = maxTokenIdOf(ir, input.id);
  return {
    spec,
    inputShape: input.shape,
    inputDtype: input.dtype,
    outputUnits: units,
    labelMode: labelModeFor(firstLoss(ir)),
    labelColumn: extra.labelColumn,
    weightColumn: extra.sampleWeight,
    limit: extra.limit,
    maxTokenId,
  };
}

/** What the user said about the data beyond its spec. */
export interface DataExtras {
  /** CSV: the label column (default: the last). */
  labelColumn?: string;
  /** The CSV column or JSON field holding each sample's weight in the loss. */
  sampleWeight?: string;
  limit?: number;
  /** The class names a saved model was trained with. */
  classNames?: string[];
  /** Train the output to reproduce the input (an autoencoder, Keras's `fit(x, x)`): the targets are the inputs, labels are not read. */
  reconstruct?: boolean;
}

/** The data of a model, as the training loop takes it, with what the loader says about it. */
export interface ModelData {
  train: MultiSplit;
  test?: MultiSplit;
  classNames?: string[];
  /** The CSV column the labels were read from, saved so evaluate and predict find (or drop) it. */
  labelColumn?: string;
  description: string;
}

/**
 * Loads `spec` for the model: through the classic loaders for a one-input,
 * one-output model, else (or when a JSON file holds the model's input names
 * as fields) through the field-keyed JSON loader. `outputShapes` are without
 * the batch dimension, in output order.
 */
export async function loadModelData(
  ir: IR, outputShapes: (number | null)[][], spec: string, extra: DataExtras = {},
): Promise<ModelData> {
  const data = await loadAnyLayout(ir, outputShapes, spec, extra);
  // The sizes the data gives the input's `?` dimensions must fit the layers, as check made sure of the fixed ones,
  // and float values looked up as token ids must be ids the embedding has.
  const { parseDataSpec } = await import('./data/index.js');
  const file = parseDataSpec(spec).path || spec;
  for (const split of [data.train, data.test]) {
    if (split === undefined) continue;
    checkDataLengths(ir, split, file);
    checkFloatTokenIds(ir, split, file, (id) => maxTokenIdOf(ir, id));
  }
  return data;
}

async function loadAnyLayout(
  ir: IR, outputShapes: (number | null)[][], spec: string, extra: DataExtras,
): Promise<ModelData> {
  const { loadData, parseDataSpec } = await import('./data/index.js');
  const { holdsFields, loadFieldData } = await import('./data/fields.js');
  const { parseJsonFile } = await import('./data/json.js');
  const { kind, path } = parseDataSpec(spec);
  // A JSON file is read once: its contents tell its layout, then go to the loader of that layout.
  const json = kind === 'json' ? parseJsonFile(path) : undefined;
  if (extra.reconstruct) return withInputsAsTargets(ir, outputShapes, spec, extra, { kind, path, json });
  if (isSingleIO(ir) && !(kind === 'json' && holdsFields(json, ir.inputs.map((i) => i.name)))) {
    // The classic sources give one label (or row) per sample: an output of rank > 2 (a sequence, an image) needs labels of its shape.
    if (outputShapes[0].length > 1) {
      const autoencoder = outputShapes[0].join('x') === ir.inputs[0].shape.join('x');
      throw new RuntimeUsageError(`the model's output is (None, ${outputShapes[0].map((d) => d ?? 'None').join(', ')}); \`${spec}\` gives one label per sample, not one of that shape\n` +
        (autoencoder ? 'help: the output has the input\'s shape: to train it to reproduce its input (an autoencoder), add --reconstruct; or give' : 'help: give') +
        ` json:FILE with a field \`${ir.inputs[0].name}\` and a field \`${outputNames(ir)[0]}\` holding each sample's target of that shape, or end the model with flatten or globalavgpool and a dense layer`);
    }
    const units = outputShapes[0][outputShapes[0].length - 1] ?? 1;
    const data = await loadData({ ...dataRequestFor(ir, units, spec, extra), ...(extra.classNames ? { classNames: extra.classNames } : {}), json });
    const dtype = ir.inputs[0].dtype;
    return {
      train: fromSplit(data.train, dtype), test: data.test && fromSplit(data.test, dtype),
      classNames: data.classNames, labelColumn: data.labelColumn, description: data.description,
    };
  }
  if (kind !== 'json') {
    throw new RuntimeUsageError(`the model has ${ir.inputs.length} input${ir.inputs.length === 1 ? '' : 's'} and ${ir.outputs.length} output${ir.outputs.length === 1 ? '' : 's'}; ` +
      `\`${spec}\` cannot feed it: give json:FILE with one field per input (${ir.inputs.map((i) => i.name).join(', ')}) and output (${outputNames(ir).join(', ')})`);
  }
  const losses = outputSpecs(ir);
  const data = loadFieldData({
    file: path,
    json,
    weightField: extra.sampleWeight,
    limit: extra.limit,
    inputs: ir.inputs.map((input) => ({ name: input.name, shape: input.shape, dtype: input.dtype, maxTokenId: maxTokenIdOf(ir, input.id) })),
    outputs: outputNames(ir).map((name, i) => ({ name, shape: outputShapes[i], labelMode: labelModeFor(losses?.[i].loss ?? 'mse') })),
  });
  return { train: data.train, test: data.test, description: data.description };
}

/**
 * The data of an autoencoder: the inputs, loaded as for any model but with
 * their labels left unread (a CSV has no label column), are also the targets.
 */
async function withInputsAsTargets(
  ir: IR, outputShapes: (number | null)[][], spec: string, extra: DataExtras, source: { kind: string; path: string; json: unknown },
): Promise<ModelData> {
  const dims = (shape: readonly (number | null)[]) => `(None, ${shape.map((d) => d ?? 'None').join(', ')})`;
  if (!isSingleIO(ir)) {
    throw new RuntimeUsageError(`--reconstruct trains one output to reproduce one input; the model has ${ir.inputs.length} inputs and ${ir.outputs.length} outputs`);
  }
  const input = ir.inputs[0];
  if (input.dtype !== 'float32') {
    throw new RuntimeUsageError(`--reconstruct reproduces float inputs; the input \`${input.name}\` holds ${input.dtype} token ids`);
  }
  if (outputShapes[0].join('x') !== input.shape.join('x') || input.shape.includes(null)) {
    throw new RuntimeUsageError(`--reconstruct trains the output to reproduce the input, but the output is ${dims(outputShapes[0])} and the input ${dims(input.shape)}\n` +
      'help: end the model with a layer giving the input\'s shape (for images, e.g. `conv C 3 sigmoid padding=same` with C channels); `mlc summary` shows each shape');
  }
  const { loadData } = await import('./data/index.js');
  const { holdsFields, loadFieldData } = await import('./data/fields.js');
  const { json } = source;
  let train: MultiSplit;
  let test: MultiSplit | undefined;
  let description: string;
  if (source.kind === 'json' && holdsFields(json, [input.name])) {
    const data = loadFieldData({
      file: source.path, json, weightField: extra.sampleWeight, limit: extra.limit,
      inputs: [{ name: input.name, shape: input.shape, dtype: input.dtype }], outputs: [],
    });
    ({ train, test, description } = data);
  } else {
    // Labels are read as plain numbers and dropped.
    const data = await loadData({ ...dataRequestFor(ir, 1, spec, extra), labelMode: 'regression', noLabels: true, json });
    train = fromSplit(data.train, input.dtype);
    test = data.test && fromSplit(data.test, input.dtype);
    description = data.description;
  }
  const targetsAreInputs = (split: MultiSplit): MultiSplit => ({ ...split, ys: [{ ...split.xs[0], dtype: 'float32' }] });
  return { train: targetsAreInputs(train), test: test && targetsAreInputs(test), description: `${description}; each target is its input (--reconstruct)` };
}

/**
 * The largest token id an input takes: input_dim - 1 of the embeddings it
 * feeds, directly or through layers that only move the ids (flatten,
 * reshape); the smallest such, when it feeds several.
 */
export function maxTokenIdOf(ir: IR, inputId = onlyInput(ir).id): number | undefined {
  let most: number | undefined;
  const reached = [inputId];
  for (let k = 0; k < reached.length; k++) {
    for (const n of ir.nodes.filter((node) => node.inputs.includes(reached[k]!))) {
      if (n.kind === 'embedding' && typeof n.args.input_dim === 'number') most = Math.min(most ?? Infinity, n.args.input_dim - 1);
      else if (KEEPS_IDS.has(n.kind)) reached.push(n.id);
    }
  }
  return most;
}

/** A problem with how a command was used (not with the spec); printed as one line. */
export class RuntimeUsageError extends Error {}
