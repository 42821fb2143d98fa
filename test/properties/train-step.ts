/**
 * The check => train rule as a function: a spec that compiles without errors
 * is built on TensorFlow.js (cpu backend) and trained for one step on random
 * data of its input's shape, with labels as the data loaders encode them for
 * its loss. Anything thrown is returned, for the tests to show with the spec.
 */
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { compileIRJson, compileSource } from '../../src/ir/pipeline.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { buildModel, compileModel } from '../../src/runtime/model.js';
import { objectiveOf } from '../../src/runtime/objective.js';
import { firstLoss } from '../../src/ir/outputs.js';
import { labelModeFor, maxTokenIdOf } from '../../src/runtime/session.js';
import { fromSplit } from '../../src/runtime/split-tensors.js';
import { NonFiniteLossError, train } from '../../src/runtime/train.js';
import { checkDataLengths } from '../../src/runtime/data-lengths.js';
import { DataError } from '../../src/runtime/data/errors.js';
import type { Split } from '../../src/runtime/data/types.js';
import type { TF } from '../../src/runtime/tf.js';
import { testTf } from '../runtime/helpers.js';

let chosen: TF | undefined;

/** The cpu backend (exact and quick), or the one MLC_PROPERTY_BACKEND names (e.g. wasm, mlc's default), to run the property there. */
async function propertyTf(): Promise<TF> {
  const name = process.env.MLC_PROPERTY_BACKEND;
  if (!name) return testTf();
  const { selectBackend } = await import('../../src/runtime/backend/select.js');
  chosen ??= (await selectBackend(name as 'wasm')).tf as unknown as TF;
  return chosen;
}

/** `dataError`: the data's `?` lengths do not fit the layers, reported as a data error (as `mlc train` reports it) before training. */
export type StepResult = { checked: false } | { checked: true; error?: string; dataError?: string };

/** Samples per step: two batches of 2, so batch statistics (batchnorm) see more than one sample. */
const SAMPLES = 4;

/**
 * Random samples and labels. `perSample` is the output's shape without the batch: labels have that shape,
 * as field-keyed JSON data gives them for an output of rank > 2 (a sequence or image out); one row otherwise.
 */
function randomData(shape: number[], dtype: 'float32' | 'int32', maxToken: number | undefined, perSample: number[], mode: string, seed: number): Split {
  const units = perSample[perSample.length - 1];
  const positions = perSample.slice(0, -1).reduce((p, d) => p * d, 1);
  let s = seed >>> 0 || 1;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const size = shape.reduce((p, d) => p * d, 1);
  const x = dtype === 'int32' ? Int32Array.from({ length: SAMPLES * size }, () => Math.floor(rnd() * ((maxToken ?? 9) + 1))) : Float32Array.from({ length: SAMPLES * size }, () => rnd() * 2 - 1);
  const width = mode === 'sparse' ? 1 : units;
  const rows = SAMPLES * positions;
  const y = new Float32Array(rows * width);
  for (let i = 0; i < rows; i++) {
    if (mode === 'onehot') y[i * units + Math.floor(rnd() * units)] = 1;
    else if (mode === 'sparse') y[i] = Math.floor(rnd() * units);
    else for (let k = 0; k < width; k++) y[i * width + k] = mode === 'binary' ? Math.round(rnd()) : rnd();
  }
  return { x, xShape: [SAMPLES, ...shape], y, yShape: [SAMPLES, ...perSample.slice(0, -1), width], count: SAMPLES };
}

/** Checks `text` (a .model, or IR JSON when `ir` is set) and, when it is accepted and trainable, runs one training step. */
export async function checkThenTrain(text: string, opts: { ir?: boolean; seed?: number; maxParams?: number } = {}): Promise<StepResult> {
  const r = opts.ir ? compileIRJson(text, 'fuzz.json') : compileSource(text, 'fuzz.model');
  if (hasErrors(r.diagnostics) || !r.ir || !r.facts || !r.ir.compile) return { checked: false };
  // Big models take seconds a step on the cpu backend; a caller that runs many may leave them out.
  if (opts.maxParams !== undefined && r.facts.totalParams > opts.maxParams) return { checked: false };
  const ir = r.ir;
  const tf = await propertyTf();
  const input = ir.inputs[0];
  // `?` dimensions (sequence lengths) get a concrete size for the data: 6, long enough for a few poolings.
  const shape = input.shape.map((d) => d ?? 6);
  // Token ids as the data loaders accept them: up to the largest the model's embeddings take.
  const maxToken = maxTokenIdOf(ir, input.id);
  const mode = labelModeFor(firstLoss(ir));
  try {
    checkDataLengths(ir, { xs: [{ values: new Float32Array(0), shape: [SAMPLES, ...shape], dtype: input.dtype }], ys: [], count: SAMPLES }, 'random data');
  } catch (e) {
    if (e instanceof DataError) return { checked: true, dataError: e.message };
    throw e;
  }
  let model;
  try {
    model = buildModel(tf, ir, { seed: 1 });
  } catch (e) {
    return { checked: true, error: `build: ${e instanceof DiagnosticError ? e.diagnostics.map((d) => d.message).join('; ') : (e as Error).message}` };
  }
  try {
    compileModel(tf, model, ir);
    // The output's shape for this input (a `?` length may change on the way: upsampling, pooling): run it once.
    const probe = tf.tidy(() => (model!.predict(tf.zeros([1, ...shape], input.dtype)) as ReturnType<TF['zeros']>).shape.slice(1));
    const perSample = probe as number[];
    const data = randomData(shape, input.dtype, maxToken, perSample, mode, opts.seed ?? 7);
    await train({ tf, model, objective: objectiveOf(tf, model, ir), train: fromSplit(data, input.dtype), epochs: 1, batchSize: 2, shuffle: false });
    return { checked: true };
  } catch (e) {
    // A loss that overflows on random data is reported to the user as such; the model was built and trained.
    if (e instanceof NonFiniteLossError) return { checked: true };
    return { checked: true, error: `train: ${(e as Error).message}` };
  } finally {
    model.dispose();
  }
}
