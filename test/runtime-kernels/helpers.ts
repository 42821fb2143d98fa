/** Shared test helpers: a seeded generator, cpu-vs-wasm closeness, and running one kernel on a backend without leaks. */
import assert from 'node:assert/strict';
import { selectBackend, type TfModule } from '../../src/runtime/backend/select.js';
import { seededRandom } from '../../src/runtime/fit/random.js';

let loaded: Promise<TfModule> | undefined;

/** TensorFlow.js with the wasm backend (and mlc's wasm kernels) ready; cpu is always available beside it. */
export function wasmTf(): Promise<TfModule> {
  loaded ??= selectBackend('wasm').then((b) => b.tf);
  return loaded;
}

/** The runtime's seeded generator, so test data is reproducible. */
export const seeded = seededRandom;

export function randomInt(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

export function randomValues(rand: () => number, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rand() * 2 - 1;
  return out;
}

/**
 * Every element within `rtol` of the reference, relative to the element's own
 * size plus the reference's largest magnitude (so sums that cancel to ~0 are
 * judged against the size of what was summed).
 */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    assert.ok(Number.isFinite(a), `${what}: element ${i} is ${a}`);
    const tol = rtol * (Math.abs(e) + scale) + 1e-7;
    if (Math.abs(a - e) > tol) {
      assert.fail(`${what}: element ${i} is ${a}, expected ${e} (|diff| ${Math.abs(a - e)} > ${tol})`);
    }
  }
}

export interface HostTensor {
  values: Float32Array | Int32Array;
  shape: number[];
  dtype?: 'float32' | 'int32' | 'bool';
}

/**
 * Runs one kernel on `backend` from host data and returns its output as host
 * data, asserting that neither the engine nor the backend kept any tensor.
 */
export async function runKernel(
  tf: TfModule,
  backend: 'cpu' | 'wasm',
  kernelName: string,
  inputs: Record<string, HostTensor>,
  attrs: Record<string, unknown>,
): Promise<{ values: Float32Array | Int32Array; shape: number[] }> {
  await tf.setBackend(backend);
  const engine = tf.engine();
  const tensorsBefore = tf.memory().numTensors;
  const dataBefore = engine.backend.numDataIds();
  const tensors: Record<string, InstanceType<typeof tf.Tensor>> = {};
  for (const [name, t] of Object.entries(inputs)) tensors[name] = tf.tensor(t.values, t.shape, t.dtype ?? 'float32');
  const out = engine.runKernel(kernelName, tensors, attrs as never) as InstanceType<typeof tf.Tensor>;
  const result = { values: out.dataSync() as Float32Array | Int32Array, shape: out.shape };
  out.dispose();
  for (const t of Object.values(tensors)) t.dispose();
  assert.equal(tf.memory().numTensors, tensorsBefore, `${kernelName} on ${backend} leaked tensors`);
  assert.equal(engine.backend.numDataIds(), dataBefore, `${kernelName} on ${backend} leaked backend data`);
  return result;
}
