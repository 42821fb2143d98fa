/** `mlc predict DIR INPUT...`: top-k classes with probabilities for a classifier, raw values otherwise. */
import { escapeControl } from '../diagnostics/render.js';
import { loadModelDir } from './saved-model.js';
import { readPredictInputs } from './predict-inputs.js';
import { fromLogits, outputNames, outputSpecs } from '../ir/outputs.js';
import { labelModeFor } from '../ir/training.js';
import type { IR } from '../ir/types.js';
import type { LabelMode } from './data/types.js';
import { isSingleIO, loadBackend, maxTokenIdOf, onlyInput, RuntimeUsageError, type BackendName } from './session.js';
import type { LayersModel, Tensor, TF } from './tf.js';

export interface PredictFlags {
  top: number;
  backend: BackendName;
  /** Also say why faster backends were passed over. */
  verbose?: boolean;
  json?: boolean;
}

export interface ClassScore {
  index: number;
  /** The class name saved with the model, or the index as text. */
  label: string;
  probability: number;
}

/** One output's answer: its top classes for a classifier, its values otherwise. */
export type OutputAnswer = { top: ClassScore[] } | { values: number[] };

/** One sample's prediction; a model with several outputs answers per output, by name. */
export type Prediction = ({ input: string } & OutputAnswer) | { input: string; outputs: ({ name: string } & OutputAnswer)[] };

/** The k most probable classes of one output row, most probable first. */
export function topClasses(row: ArrayLike<number>, k: number, classNames?: readonly string[]): ClassScore[] {
  return Array.from(row, (p, index) => ({ index, label: classNames?.[index] ?? String(index), probability: p }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, Math.max(1, k));
}

/** `7 0.9812 · 9 0.0101 · 4 0.0050`, or the raw values. */
export function formatPrediction(p: Prediction): string {
  // Class names and inputs come from files (a save, a folder's names): shown with control characters escaped.
  if ('outputs' in p) return `${escapeControl(p.input)}: ${p.outputs.map((o) => `${escapeControl(o.name)} ${formatAnswer(o)}`).join(' | ')}`;
  return `${escapeControl(p.input)}: ${formatAnswer(p)}`;
}

function formatAnswer(a: OutputAnswer): string {
  if ('top' in a) return a.top.map((c) => `${escapeControl(c.label)} ${c.probability.toFixed(4)}`).join(' · ');
  return a.values.map((v) => Number(v.toPrecision(6))).join(', ');
}

/**
 * The answer for one output row, by the label encoding its loss uses. A
 * model trained with `from_logits=true` outputs raw scores: they are turned
 * into probabilities (softmax, or sigmoid for yes/no) before ranking.
 */
function answer(row: number[], mode: LabelMode | undefined, top: number, classNames?: readonly string[], logits = false): OutputAnswer {
  if (logits && (mode === 'onehot' || mode === 'sparse')) row = softmax(row);
  if (logits && mode === 'binary') row = row.map((v) => 1 / (1 + Math.exp(-v)));
  if (mode === 'onehot' || mode === 'sparse') return { top: topClasses(row, top, classNames) };
  // One sigmoid unit: the probability of class 1; both classes are shown.
  if (mode === 'binary' && row.length === 1) return { top: topClasses([1 - row[0], row[0]], top, classNames) };
  return { values: row };
}

export async function runPredict(dir: string, files: string[], flags: PredictFlags): Promise<{ backend: string; predictions: Prediction[] }> {
  const backend = await loadBackend(flags.backend, { verbose: flags.verbose });
  const { tf } = backend;
  const saved = await loadModelDir(tf, dir);
  try {
    if (!isSingleIO(saved.ir)) return { backend: backend.name, predictions: await predictGraph(tf, saved.ir, saved.model, files, flags.top) };
    const input = onlyInput(saved.ir);
    const inputs = await readPredictInputs(files, input.shape, input.dtype, {
      maxTokenId: maxTokenIdOf(saved.ir),
      otherColumns: [saved.checkpoint.labelColumn, saved.checkpoint.sampleWeight].filter((c): c is string => c !== undefined),
    });
    const out = tf.tidy(() => saved.model.predict(tf.tensor(inputs.x, inputs.xShape, input.dtype)) as Tensor);
    const values = await out.data();
    const width = out.size / inputs.xShape[0];
    out.dispose();
    const mode = saved.checkpoint.labelMode as LabelMode | undefined;
    const classNames = saved.checkpoint.classNames;
    const first = outputSpecs(saved.ir)?.[0];
    const logits = first !== undefined && fromLogits(first);
    const predictions: Prediction[] = inputs.labels.map((label, i) => ({
      input: label, ...answer(Array.from(values.subarray(i * width, (i + 1) * width)), mode, flags.top, classNames, logits),
    }));
    return { backend: backend.name, predictions };
  } finally {
    saved.model.dispose();
  }
}

/** A graph with several inputs or outputs reads one JSON file with a field per input; each output answers by its loss's encoding. */
async function predictGraph(tf: TF, ir: IR, model: LayersModel, files: string[], top: number): Promise<Prediction[]> {
  if (files.length !== 1 || !files[0].toLowerCase().endsWith('.json')) {
    throw new RuntimeUsageError(`the model has ${ir.inputs.length} inputs and ${ir.outputs.length} outputs; give one JSON file with a field per input (${ir.inputs.map((i) => i.name).join(', ')})`);
  }
  const { loadFieldData } = await import('./data/fields.js');
  const data = loadFieldData({
    file: files[0], inputsOnly: true, outputs: [],
    inputs: ir.inputs.map((i) => ({ name: i.name, shape: i.shape, dtype: i.dtype })),
  });
  const xs = data.train.xs.map((x) => tf.tensor(x.values, x.shape, x.dtype));
  const out = tf.tidy(() => {
    const y = model.predict(xs.length === 1 ? xs[0] : xs) as Tensor | Tensor[];
    return Array.isArray(y) ? y : [y];
  });
  xs.forEach((x) => x.dispose());
  const rows = await Promise.all(out.map((t) => t.data()));
  const widths = out.map((t) => t.size / data.train.count);
  out.forEach((t) => t.dispose());
  const names = outputNames(ir);
  const specs = outputSpecs(ir);
  return Array.from({ length: data.train.count }, (_, i) => ({
    input: `${files[0]}[${i}]`,
    outputs: names.map((name, k) => ({
      name, ...answer(Array.from(rows[k].subarray(i * widths[k], (i + 1) * widths[k])), specs ? labelModeFor(specs[k].loss) : undefined, top, undefined, specs ? fromLogits(specs[k]) : false),
    })),
  }));
}

function softmax(row: number[]): number[] {
  const max = Math.max(...row);
  const e = row.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}
