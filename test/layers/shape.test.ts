/** The shared shape arithmetic, against Keras's formulas and notation. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDims, formatShape, imageReshape, sequenceReshape, windowOutputLength } from '../../src/layers/shape.js';

test('valid windows: floor((in - dilation*(k-1) - 1) / stride) + 1', () => {
  for (let input = 1; input <= 12; input++) {
    for (const k of [1, 2, 3, 5]) {
      for (const s of [1, 2, 3]) {
        for (const d of [1, 2]) {
          const expected = Math.floor((input - d * (k - 1) - 1) / s) + 1;
          assert.equal(windowOutputLength(input, k, s, 'valid', d), expected, `in=${input} k=${k} s=${s} d=${d}`);
        }
      }
    }
  }
});

test('same windows: ceil(in / stride), whatever the kernel', () => {
  assert.equal(windowOutputLength(28, 5, 1, 'same'), 28);
  assert.equal(windowOutputLength(28, 3, 3, 'same'), 10);
  assert.equal(windowOutputLength(7, 3, 2, 'same', 1), 4);
});

test('unknown lengths stay unknown', () => {
  assert.equal(windowOutputLength(null, 3, 1, 'valid'), null);
});

test('Keras shape notation', () => {
  assert.equal(formatShape([null, 784]), '(None, 784)');
  assert.equal(formatShape([null, 28, 28, 1]), '(None, 28, 28, 1)');
  assert.equal(formatShape([3]), '(3,)');
  assert.equal(formatDims([null, 16]), '?x16');
});

test('reshape guesses', () => {
  assert.equal(imageReshape([null, 784]), '28x28x1');
  assert.equal(imageReshape([null, 3072]), '32x32x3');
  assert.equal(imageReshape([null, 28, 28]), '28x28x1');
  assert.equal(imageReshape([null, 10]), undefined);
  assert.equal(sequenceReshape([null, 100]), '100x1');
  assert.equal(sequenceReshape([null, 28, 28, 1]), '28x28');
});
