/**
 * After a WebAssembly trap inside a wasm kernel, later wasm kernels throw at
 * once (a trap leaves XNNPACK's thread pool locked, and the next threaded
 * kernel would wait forever). Runs in its own process: it breaks the backend.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WasmBackendBroken } from '../../src/runtime/backend/wasm-trap-guard.js';
import { wasmTf } from './helpers.js';

test('a trap in one wasm kernel makes the next wasm kernel throw instead of running', async () => {
  const tf = await wasmTf();
  await tf.setBackend('wasm');
  const x = tf.tensor([1, 2, 3]);
  assert.deepEqual(Array.from(tf.add(x, x).dataSync()), [2, 4, 6]);
  tf.registerKernel({
    kernelName: 'MlcTestTrap',
    backendName: 'wasm',
    kernelFunc: () => {
      throw new WebAssembly.RuntimeError('remainder by zero');
    },
  });
  assert.throws(() => tf.engine().runKernel('MlcTestTrap', { x }, {}), WebAssembly.RuntimeError);
  assert.throws(() => tf.add(x, x), (e: unknown) => e instanceof WasmBackendBroken && /remainder by zero in MlcTestTrap/.test(e.message));
  // Other backends are unaffected.
  await tf.setBackend('cpu');
  const y = tf.tensor([1, 2, 3]);
  assert.deepEqual(Array.from(tf.add(y, y).dataSync()), [2, 4, 6]);
});
