/** Backend selection: auto falls through to what loads and says why; an unavailable request is one clear line. */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { BackendSelectionError, selectBackend } from '../../src/runtime/backend/select.js';

function installed(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}
const nativeMissing = !installed('@tensorflow/tfjs-node') && !installed('@tensorflow/tfjs-node-gpu');

test('auto picks wasm when the native backends are missing, and names why', { skip: !nativeMissing && 'tfjs-node is installed here' }, async () => {
  const b = await selectBackend('auto');
  assert.equal(b.name, 'wasm');
  assert.equal(b.tf.getBackend(), 'wasm');
  assert.match(b.note, /^backend: wasm \((no )?simd, \d+ threads?[^)]*\)$/, 'the note is one short line');
  assert.equal(b.skipped, 'tfjs-node-gpu and tfjs-node are not installed: their native library could not be downloaded at install time');
});

test('a requested backend that cannot load is a one-line BackendSelectionError', { skip: !nativeMissing && 'tfjs-node is installed here' }, async () => {
  for (const requested of ['node', 'node-gpu'] as const) {
    await assert.rejects(selectBackend(requested), (e: unknown) => {
      assert.ok(e instanceof BackendSelectionError);
      assert.match(e.message, new RegExp(`^mlc: --backend ${requested} cannot run: tfjs-${requested} is not installed`));
      assert.ok(!e.message.includes('\n'));
      return true;
    });
  }
  await assert.rejects(selectBackend('tpu' as never), /unknown backend "tpu"/);
});

test('cpu and wasm can be selected explicitly, and switching back reuses the loaded wasm module', async () => {
  const cpu = await selectBackend('cpu');
  assert.equal(cpu.tf.getBackend(), 'cpu');
  assert.equal(cpu.note, 'backend: cpu (plain JavaScript)');
  assert.equal(cpu.skipped, undefined, 'nothing was passed over for a backend asked for by name');
  const wasm = await selectBackend('wasm');
  assert.equal(wasm.tf.getBackend(), 'wasm');
  assert.equal(wasm.tf, cpu.tf, 'one TensorFlow.js instance');
  // A conv gradient runs on wasm (it needs the mlc kernels).
  const { tf } = wasm;
  const g = tf.tidy(() => {
    const x = tf.ones([1, 4, 4, 1]) as never;
    const w = tf.ones([2, 2, 1, 1]);
    return tf.grad((f) => tf.conv2d(x, f as never, 1, 'valid').sum())(w).dataSync();
  });
  // Each filter tap sums the 3x3 input positions it meets: 9.
  assert.deepEqual(Array.from(g), [9, 9, 9, 9]);
});
