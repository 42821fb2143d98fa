import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, only } from './helpers.js';

const model = (head: string, compileLine: string) => compile(`input 20\ndense 16 relu\n${head}\ncompile ${compileLine}\n`);
const codesOf = (r: ReturnType<typeof compile>) => r.diagnostics.map((d) => `${d.severity}:${d.code}`);

test('a well-matched classifier and regressor raise nothing', () => {
  assert.deepEqual(codesOf(model('dense 10 softmax', 'loss=categorical_crossentropy metrics=[accuracy]')), []);
  assert.deepEqual(codesOf(model('dense 1 sigmoid', 'loss=binary_crossentropy metrics=[accuracy]')), []);
  assert.deepEqual(codesOf(model('dense 1', 'loss=mse metrics=[mae]')), []);
  assert.deepEqual(codesOf(model('dense 5 softmax', 'loss=sparse_categorical_crossentropy metrics=[sparse_categorical_accuracy]')), []);
});

test('categorical and sparse crossentropy need more than one output: an error at the loss', () => {
  for (const loss of ['categorical_crossentropy', 'sparse_categorical_crossentropy']) {
    const r = model('dense 1 sigmoid', `loss=${loss}`);
    const d = only(r.diagnostics, 'E-LOSS-SHAPE');
    assert.equal(d.severity, 'error');
    assert.match(d.message, /\(None, 1\)/);
    assert.deepEqual([d.span?.line, d.span?.column], [4, 14]);
    assert.equal(d.related?.[0].span?.line, 3, 'points at the output layer too');
  }
});

test('binary crossentropy over several outputs is legal (multi-label) but flagged', () => {
  const d = only(model('dense 4 sigmoid', 'loss=binary_crossentropy').diagnostics, 'W-LOSS-SHAPE');
  assert.equal(d.severity, 'warning');
});

test('softmax with binary crossentropy is a warning pointing at the loss', () => {
  const d = only(model('dense 4 softmax', 'loss=binary_crossentropy').diagnostics, 'W-LOSS-ACTIVATION');
  assert.equal(d.severity, 'warning');
  assert.match(d.message, /softmax/);
  assert.match(d.help ?? '', /sigmoid/);
});

test('sigmoid on a multi-class output under categorical crossentropy', () => {
  const d = only(model('dense 10 sigmoid', 'loss=categorical_crossentropy').diagnostics, 'W-LOSS-ACTIVATION');
  assert.match(d.message, /do not sum to 1/);
  assert.match(d.help ?? '', /dense 10 softmax/);
});

test('a linear output under a probability loss', () => {
  const d = only(model('dense 10', 'loss=categorical_crossentropy').diagnostics, 'W-LOSS-ACTIVATION');
  assert.match(d.message, /linear/);
  // Dropout passes values through: the activation before it is the output's.
  only(model('dense 10 relu\ndropout 0.5', 'loss=categorical_crossentropy').diagnostics, 'W-LOSS-ACTIVATION');
  assert.deepEqual(codesOf(model('dense 10 softmax\ndropout 0.5', 'loss=categorical_crossentropy')), []);
});

test('softmax over a single output', () => {
  only(model('dense 1 softmax', 'loss=mse').diagnostics, 'W-LOSS-ACTIVATION');
});

test('metrics that do not fit the loss', () => {
  const acc = only(model('dense 1', 'loss=mse metrics=[mae, accuracy]').diagnostics, 'W-METRIC-LOSS');
  assert.deepEqual([acc.span?.line, acc.span?.column], [4, 32]);
  only(model('dense 3 softmax', 'loss=sparse_categorical_crossentropy metrics=[categorical_accuracy]').diagnostics, 'W-METRIC-LOSS');
  only(model('dense 3 softmax', 'loss=categorical_crossentropy metrics=[sparse_categorical_accuracy]').diagnostics, 'W-METRIC-LOSS');
  only(model('dense 3 softmax', 'loss=categorical_crossentropy metrics=[binary_accuracy]').diagnostics, 'W-METRIC-LOSS');
});
