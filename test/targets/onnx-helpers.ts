/**
 * ONNX parity harness: a spec is built by tfjs-layers (the engine mlc trains
 * with), its weights perturbed with a fixed seed so that biases, batchnorm
 * statistics and gate orders all matter, saved as `mlc train -o` saves it,
 * exported, and run by onnxruntime-web (wasm, in Node) on the same inputs.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { compileIRJson, compileSource } from '../../src/ir/pipeline.js';
import type { IR } from '../../src/ir/types.js';
import { buildModel } from '../../src/runtime/model.js';
import { saveModelDir } from '../../src/runtime/saved-model.js';
import { readSavedWeights } from '../../src/runtime/saved-weights.js';
import type { LayersModel, Tensor } from '../../src/runtime/tf.js';
import { exportOnnx } from '../../src/targets/onnx/export.js';
import { selectBackend } from '../../src/runtime/backend/select.js';
import type { TF } from '../../src/runtime/tf.js';

ort.env.wasm.numThreads = 1;

let loaded: Promise<TF> | undefined;
/** TensorFlow.js on the backend `mlc train` uses by default here (wasm): ResNet50's forward pass takes seconds, not minutes as on cpu. */
function engineTf(): Promise<TF> {
  loaded ??= selectBackend('wasm').then((b) => b.tf as unknown as TF);
  return loaded;
}

export const TOLERANCE = 1e-4;

/** A small deterministic generator (LCG), uniform in [0, 1). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

/** Adds seeded noise to every weight; moving variances stay positive. */
async function perturb(model: LayersModel, seed: number, amplitude: number): Promise<void> {
  const tf = await engineTf();
  const rnd = seeded(seed);
  const weights = model.weights.map((w) => {
    const v = w.read() as Tensor;
    const data = v.dataSync() as Float32Array;
    const positive = /moving_variance/.test(w.originalName ?? w.name);
    const noisy = Float32Array.from(data, (d) => (positive ? d + rnd() : d + (rnd() * 2 - 1) * amplitude));
    return tf.tensor(noisy, v.shape);
  });
  model.setWeights(weights);
  for (const t of weights) t.dispose();
}

export interface ParityOptions {
  samples?: number;
  /** Size given to each `?` dimension of the inputs. */
  unknownDim?: number;
  /** Noise added to each weight (0: the seeded initial weights). */
  amplitude?: number;
  /** Largest token id + 1 for int32 inputs. */
  vocabulary?: number;
}

export interface ParityResult {
  maxDiff: number;
  ir: IR;
  onnx: Uint8Array;
  outputNames: readonly string[];
}

/** Exports a spec (.model text, or an IR for graphs) and returns the largest difference between tfjs's and onnxruntime's outputs. */
export async function onnxParity(spec: string | IR, opts: ParityOptions = {}): Promise<ParityResult> {
  const source = typeof spec === 'string' ? spec : undefined;
  const compiled = typeof spec === 'string' ? compileSource(spec, 'parity.model') : compileIRJson(JSON.stringify(spec), 'parity.json');
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), [], 'the spec is valid');
  const ir = compiled.ir!;
  const tf = await engineTf();
  const model = buildModel(tf, ir, { seed: 7 });
  const dir = mkdtempSync(join(tmpdir(), 'mlc-onnx-'));
  try {
    await perturb(model, 11, opts.amplitude ?? 0.3);
    await saveModelDir(tf, model, dir, ir, { epoch: 0, epochs: 0, history: [], batchSize: 1, optimizerState: false }, source);
    const onnx = exportOnnx(ir, compiled.facts!, readSavedWeights(dir));
    const session = await ort.InferenceSession.create(onnx);
    const n = opts.samples ?? 3;
    const rnd = seeded(5);
    const feeds: Record<string, ort.Tensor> = {};
    const tfInputs: Tensor[] = [];
    for (const input of ir.inputs) {
      const shape = [n, ...input.shape.map((d) => d ?? opts.unknownDim ?? 5)];
      const size = shape.reduce((p, d) => p * d, 1);
      const data = input.dtype === 'int32'
        ? Int32Array.from({ length: size }, () => Math.floor(rnd() * (opts.vocabulary ?? 10)))
        : Float32Array.from({ length: size }, () => rnd() * 2 - 1);
      feeds[input.name] = new ort.Tensor(input.dtype, data, shape);
      tfInputs.push(tf.tensor(data, shape, input.dtype));
    }
    const predicted = model.predict(tfInputs.length === 1 ? tfInputs[0] : tfInputs);
    const expected = Array.isArray(predicted) ? predicted : [predicted as Tensor];
    const results = await session.run(feeds);
    assert.equal(session.outputNames.length, expected.length, 'one ONNX output per model output');
    let maxDiff = 0;
    session.outputNames.forEach((name, i) => {
      const got = results[name];
      assert.deepEqual(got.dims, expected[i].shape, `output ${name}'s shape`);
      const want = expected[i].dataSync();
      const data = got.data as Float32Array;
      for (let j = 0; j < want.length; j++) {
        assert.ok(Number.isFinite(data[j]), `output ${name}[${j}] is ${data[j]}`);
        maxDiff = Math.max(maxDiff, Math.abs(data[j] - want[j]));
      }
    });
    for (const t of [...tfInputs, ...expected]) t.dispose();
    await session.release();
    return { maxDiff, ir, onnx, outputNames: session.outputNames };
  } finally {
    model.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
