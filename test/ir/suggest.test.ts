import { test } from 'node:test';
import assert from 'node:assert/strict';
import { didYouMean, editDistance, suggest } from '../../src/ir/suggest.js';

test('edit distance counts insertions, deletions, substitutions and swaps', () => {
  assert.equal(editDistance('relu', 'relu'), 0);
  assert.equal(editDistance('relux', 'relu'), 1);
  assert.equal(editDistance('rleu', 'relu'), 1);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
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
