/** Weight rearrangement: permute is numpy's transpose, for any shape and permutation. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { permute } from '../../src/targets/onnx/tensor.js';

/** out[j0, j1, ...] = in[i] where i[perm[k]] = j[k], index by index. */
function naive(shape: number[], data: Float32Array, perm: number[]): Float32Array {
  const outShape = perm.map((p) => shape[p]);
  const out = new Float32Array(data.length);
  for (let o = 0; o < out.length; o++) {
    let rest = o;
    const j = outShape.map(() => 0);
    for (let k = outShape.length - 1; k >= 0; k--) {
      j[k] = rest % outShape[k];
      rest = Math.floor(rest / outShape[k]);
    }
    const i = shape.map(() => 0);
    perm.forEach((p, k) => (i[p] = j[k]));
    out[o] = data[i.reduce((flat, v, a) => flat * shape[a] + v, 0)];
  }
  return out;
}

describe('permute', () => {
  it('moves every value where numpy\'s transpose puts it', () => {
    const shapes = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 5 });
    fc.assert(fc.property(shapes.chain((shape) => fc.tuple(fc.constant(shape), fc.shuffledSubarray([...shape.keys()], { minLength: shape.length }))), ([shape, perm]) => {
      const data = Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => i);
      const got = permute({ shape, data }, perm);
      assert.deepEqual(got.shape, perm.map((p) => shape[p]));
      assert.deepEqual(Array.from(got.data), Array.from(naive(shape, data, perm)));
    }));
  });
});
