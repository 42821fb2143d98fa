/** Reading a saved model's weights without TensorFlow.js: by name, in manifest order, the optimizer's state left out. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SavedModelError } from '../../src/runtime/saved-model.js';
import { decodeWeights } from '../../src/runtime/saved-weights.js';

const bytesOf = (...arrays: (Float32Array | Int32Array)[]) => {
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.byteLength, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer), at);
    at += a.byteLength;
  }
  return out;
};

describe('saved weights', () => {
  it('splits weights.bin by the manifest and leaves out the optimizer group', () => {
    const specs = [
      { name: 'dense/kernel', shape: [2, 3], dtype: 'float32' },
      { name: 'dense/bias', shape: [3], dtype: 'float32' },
      { name: 'iter', shape: [], dtype: 'int32', group: 'optimizer' },
    ];
    const kernel = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const bias = Float32Array.from([0.5, -0.5, 7]);
    const weights = decodeWeights(specs, bytesOf(kernel, bias, Int32Array.from([9])));
    assert.deepEqual([...weights.keys()], ['dense/kernel', 'dense/bias']);
    assert.deepEqual(Array.from(weights.get('dense/kernel')!.data), Array.from(kernel));
    assert.deepEqual(weights.get('dense/kernel')!.shape, [2, 3]);
    assert.deepEqual(Array.from(weights.get('dense/bias')!.data), Array.from(bias));
  });

  it('says when weights.bin is shorter than the manifest', () => {
    assert.throws(() => decodeWeights([{ name: 'dense/kernel', shape: [4], dtype: 'float32' }], new Uint8Array(8), 'runs/x/weights.bin'),
      (e: unknown) => e instanceof SavedModelError && /runs\/x\/weights\.bin is shorter than model\.json says \(8 bytes, weight dense\/kernel ends at 16\)/.test(e.message));
  });
});
