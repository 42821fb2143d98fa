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

test('a classifier without flatten is an error at the last layer, with the fix (check => train)', () => {
  const r = compile('input 28x28x1\nconv 10 3\ndense 10 softmax\ncompile loss=categorical_crossentropy optimizer=adam\n');
  const d = only(r.diagnostics, 'E-LOSS-SHAPE');
  assert.equal(d.severity, 'error');
  // Keras: Conv2D(10, 3) on 28x28x1 gives (None, 26, 26, 10); Dense(10) keeps the spatial axes.
  assert.match(d.message, /needs an output of \(None, classes\), one row per sample; the model's output is \(None, 26, 26, 10\)/);
  assert.equal(d.span?.line, 3);
  assert.equal(d.help, 'add `flatten` (or `globalavgpool`) before the dense layers');
  const regression = compile('input 4x4x1\nconv 2 3\ndense 1\ncompile loss=mse optimizer=adam\n');
  assert.match(only(regression.diagnostics, 'E-LOSS-SHAPE').message, /\(None, units\)/);
});

test('a model beyond the parameter limit is refused with its size in GB', () => {
  // Dense(100000000) on 784 inputs: 784 * 1e8 + 1e8 weights.
  const r = compile('input 784\ndense 100000000\n');
  const d = only(r.diagnostics, 'E-MODEL-SIZE');
  assert.equal(d.severity, 'error');
  assert.match(d.message, /the model has 78,500,000,000 parameters, which need ~292.4 GB as float32; mlc trains models of up to 2,147,483,647 parameters/);
  assert.equal(d.span?.line, 2);
  assert.equal(r.ir !== undefined && r.diagnostics.some((x) => x.severity === 'error'), true);
});

test('integers too large to hold exactly are refused, not rounded', () => {
  const r = compile('input 10\ndense 9007199254740993\n');
  assert.match(only(r.diagnostics, 'E-INT-RANGE').message, /`9007199254740993` is too large to be held exactly/);
  const shape = compile('input 9007199254740993\ndense 2\n');
  assert.equal(only(shape.diagnostics, 'E-INT-RANGE').span?.line, 1);
  // `1e308` is a whole number, but suggesting `1e+308` would be refused the same way.
  const float = compile('input 10\ndense 1e308\n');
  const d = only(float.diagnostics, 'E-ARG-TYPE');
  assert.doesNotMatch(d.help ?? '', /1e\+308/);
  assert.match(d.help ?? '', /cannot be held exactly/);
});

test('a statement the parser could not read does not also produce a false "no layers"', () => {
  const r = compile('input 10\ndense 1_000 relu\n');
  assert.deepEqual(r.diagnostics.filter((d) => d.code === 'E-NO-LAYERS'), []);
  assert.equal(r.diagnostics.filter((d) => d.severity === 'error').length, 1);
});
