/** What an engine can run but not train is refused by `mlc check`, at the layer's line (check => train). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSource } from '../../src/ir/pipeline.js';

const HEAD = 'input 28x28x1\n';
const TAIL = 'flatten\ndense 10 softmax\ncompile loss=categorical_crossentropy optimizer=adam\n';

function errorsOf(source: string) {
  return compileSource(source, 'x.model').diagnostics.filter((d) => d.severity === 'error');
}

test('check refuses a dilated conv2d without an activation, at its line, with a fix', () => {
  const errors = errorsOf(`${HEAD}conv 8 3x3 relu\nconv 8 3x3 dilation_rate=2\n${TAIL}`);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].span?.line, 3);
  assert.match(errors[0].message, /dilation_rate=2x2 and no activation/);
  assert.match(errors[0].help ?? '', /give the layer an activation/);
});

test('check accepts the dilated convolutions that train', () => {
  for (const layer of ['conv 8 3x3 relu dilation_rate=2', 'conv 8 3x3 dilation_rate=1', 'conv 8 3x3']) {
    assert.deepEqual(errorsOf(`${HEAD}${layer}\n${TAIL}`), [], layer);
  }
  assert.deepEqual(errorsOf('input 100x3\nconv1d 8 3 dilation_rate=2\nflatten\ndense 1 sigmoid\ncompile loss=binary_crossentropy optimizer=adam\n'), []);
});

test('check refuses what TensorFlow.js runs differently: a dilated depthwiseconv2d, a softmax on a non-last axis', () => {
  const depthwise = errorsOf('input 9x9x2\ndepthwiseconv2d 3 relu dilation_rate=2\nflatten\ndense 2 softmax\ncompile loss=categorical_crossentropy optimizer=adam\n');
  assert.equal(depthwise.length, 1);
  assert.match(depthwise[0].message, /ignores the dilation/);
  const softmax = errorsOf('input 4x3\nsoftmax axis=1\nflatten\ndense 2 softmax\ncompile loss=categorical_crossentropy optimizer=adam\n');
  assert.equal(softmax.length, 1);
  assert.match(softmax[0].message, /only normalises the last axis/);
  assert.deepEqual(errorsOf('input 4x3\nsoftmax axis=2\nflatten\ndense 2 softmax\ncompile loss=categorical_crossentropy optimizer=adam\n'), []);
});
