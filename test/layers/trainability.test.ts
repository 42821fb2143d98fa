/** What an engine can run but not train is refused by `mlc check`, at the layer's line (check => train). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSource } from '../../src/ir/pipeline.js';

const HEAD = 'input 28x28x1\n';
const TAIL = 'flatten\ndense 10 softmax\ncompile loss=categorical_crossentropy optimizer=adam\n';

function errorsOf(source: string) {
  return compileSource(source, 'x.model').diagnostics.filter((d) => d.severity === 'error');
}

test('check accepts the dilated convolutions, with or without an activation (mlc trains them all)', () => {
  for (const layer of ['conv 8 3x3 relu dilation_rate=2', 'conv 8 3x3 dilation_rate=2', 'conv 8 3x3 sigmoid dilation_rate=1x2', 'conv 8 3x3 dilation_rate=1', 'conv 8 3x3', 'separableconv2d 4 3 dilation_rate=2x1']) {
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

test("check refuses the transposed convolutions Keras refuses or TensorFlow cannot compute, at the layer's line, with a fix", () => {
  const image = (layer: string) => errorsOf(`input 6x6x2\n${layer}\nflatten\ndense 2 softmax\ncompile loss=categorical_crossentropy optimizer=adam\n`);
  const tooLarge = image('conv2dtranspose 4 3 strides=2 output_padding=2');
  assert.equal(tooLarge.length, 1);
  assert.equal(tooLarge[0].span?.line, 2);
  assert.match(tooLarge[0].message, /output_padding 2 must be less than its stride 2/);
  assert.match(image('conv2dtranspose 4 3 strides=2 dilation_rate=2')[0]?.message ?? '', /cannot combine strides > 1 with dilation_rate > 1/);
  // Keras's (n − 1)·stride for an even kernel, padding=same and output_padding 0: TensorFlow's conv2d_transpose refuses it.
  const even = image('conv2dtranspose 4 2 strides=2 padding=same output_padding=0');
  assert.equal(even.length, 1);
  assert.match(even[0].help ?? '', /output_padding ≥ 1/);
  for (const ok of ['conv2dtranspose 4 2 strides=2 padding=same output_padding=1', 'conv2dtranspose 4 3 strides=2 padding=same output_padding=0', 'conv2dtranspose 4 3 relu dilation_rate=2']) {
    assert.deepEqual(image(ok), [], ok);
  }
  assert.match(errorsOf('input 6x2\nconv1dtranspose 4 3 strides=3 output_padding=3\nflatten\ndense 1\ncompile loss=mse optimizer=adam\n')[0]?.message ?? '', /must be less than its stride 3/);
});
