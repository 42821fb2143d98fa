/** `mlc predict DIR INPUT...`: top-k classes with probabilities for a classifier, raw values otherwise. */
import { escapeControl } from '../diagnostics/render.js';
import { loadModelDir } from './saved-model.js';
import { readPredictInputs } from './predict-inputs.js';
import { loadBackend, maxTokenIdOf, onlyInput, type BackendName } from './session.js';
import type { Tensor } from './tf.js';

export interface PredictFlags {
  top: number;
  backend: BackendName;
  json?: boolean;
}

export interface ClassScore {
  index: number;
  /** The class name saved with the model, or the index as text. */
  label: string;
  probability: number;
}

export type Prediction = { input: string; top: ClassScore[] } | { input: string; values: number[] };

/** The k most probable classes of one output row, most probable first. */
export function topClasses(row: ArrayLike<number>, k: number, classNames?: readonly string[]): ClassScore[] {
  return Array.from(row, (p, index) => ({ index, label: classNames?.[index] ?? String(index), probability: p }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, Math.max(1, k));
}

/** `7 0.9812 · 9 0.0101 · 4 0.0050`, or the raw values. */
export function formatPrediction(p: Prediction): string {
  // Class names and inputs come from files (a save, a folder's names): shown with control characters escaped.
  if ('top' in p) return `${escapeControl(p.input)}: ${p.top.map((c) => `${escapeControl(c.label)} ${c.probability.toFixed(4)}`).join(' · ')}`;
  return `${escapeControl(p.input)}: ${p.values.map((v) => Number(v.toPrecision(6))).join(', ')}`;
}

export async function runPredict(dir: string, files: string[], flags: PredictFlags): Promise<{ backend: string; predictions: Prediction[] }> {
  const backend = await loadBackend(flags.backend);
  const { tf } = backend;
  (flags.json ? process.stderr : process.stdout).write(`${backend.note}\n`);
  const saved = await loadModelDir(tf, dir);
  try {
    const input = onlyInput(saved.ir);
    const inputs = await readPredictInputs(files, input.shape, input.dtype, {
      maxTokenId: maxTokenIdOf(saved.ir),
      labelColumn: saved.checkpoint.labelColumn,
    });
    const out = tf.tidy(() => saved.model.predict(tf.tensor(inputs.x, inputs.xShape, input.dtype)) as Tensor);
    const values = await out.data();
    const width = out.size / inputs.xShape[0];
    out.dispose();
    const mode = saved.checkpoint.labelMode;
    const classNames = saved.checkpoint.classNames;
    const predictions: Prediction[] = inputs.labels.map((label, i) => {
      const row = Array.from(values.subarray(i * width, (i + 1) * width));
      if (mode === 'onehot' || mode === 'sparse') return { input: label, top: topClasses(row, flags.top, classNames) };
      if (mode === 'binary' && width === 1) {
        // One sigmoid unit: the probability of class 1; both classes are shown.
        return { input: label, top: topClasses([1 - row[0], row[0]], flags.top, classNames) };
      }
      return { input: label, values: row };
    });
    return { backend: backend.name, predictions };
  } finally {
    saved.model.dispose();
  }
}
