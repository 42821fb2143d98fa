import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { didYouMean, editDistance, listChoices, suggest } from '../../src/runtime/data/suggest.js';

test('edit distance counts insertions, deletions, substitutions and swaps', () => {
  assert.equal(editDistance('relu', 'relu'), 0);
  assert.equal(editDistance('relux', 'relu'), 1);
  assert.equal(editDistance('rleu', 'relu'), 1);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
});

test('edit distance: symmetric, zero only for equal words, bounded by the lengths, one per typo', () => {
  const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 9 });
  fc.assert(
    fc.property(word, word, (a, b) => {
      const d = editDistance(a, b);
      assert.equal(editDistance(b, a), d);
      assert.equal(d === 0, a === b);
      assert.ok(d >= Math.abs(a.length - b.length) && d <= Math.max(a.length, b.length));
    }),
  );
  fc.assert(
    fc.property(word.filter((w) => w.length >= 2), fc.nat(), fc.constantFrom('a', 'b', 'c', 'd'), (w, n, ch) => {
      const i = n % (w.length - 1);
      const swapped = w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
      assert.ok(editDistance(w, swapped) <= 1, `swap in ${w}`);
      assert.equal(editDistance(w, w.slice(0, i) + w.slice(i + 1)), 1, `deletion in ${w}`);
      assert.equal(editDistance(w, w.slice(0, i) + ch + w.slice(i)), 1, `insertion in ${w}`);
    }),
  );
});

test('suggestions: close typos, case and separators; nothing for far-off words', () => {
  assert.equal(suggest('relux', ['relu', 'elu', 'selu']), 'relu');
  assert.equal(suggest('MaxPool', ['maxpool', 'avgpool']), 'maxpool');
  assert.equal(suggest('batch-norm', ['batchnorm', 'layernorm']), 'batchnorm');
  assert.equal(suggest('transformer', ['dense', 'conv']), undefined);
  assert.equal(suggest('a', ['b']), 'b');
});

test('didYouMean falls back to the list of choices', () => {
  assert.equal(didYouMean('sigmod', ['sigmoid', 'tanh']), 'did you mean `sigmoid`?');
  assert.equal(didYouMean('zzzzzz', ['valid', 'same']), 'expected one of `valid`, `same`');
});

test('listChoices lists every choice when there are few, and counts the rest only when many are left out', () => {
  const losses = ['mse', 'mae', 'mape', 'msle', 'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy',
    'hinge', 'squared_hinge', 'categorical_hinge', 'kl_divergence', 'poisson', 'cosine_similarity'];
  const listed = listChoices(losses);
  assert.doesNotMatch(listed, /more/);
  for (const l of losses) assert.ok(listed.includes(`\`${l}\``), l);
  const many = Array.from({ length: 40 }, (_, i) => `c${i}`);
  assert.match(listChoices(many), /^`c0`, .*`c11` and 28 more$/);
});
