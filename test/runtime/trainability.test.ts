/** Models TensorFlow.js can run but not train are refused by check, at the layer's line (so train never meets them). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSource } from '../../src/ir/pipeline.js';

const errorsOf = (source: string) => compileSource(source, 'x.model').diagnostics.filter((d) => d.severity === 'error');

const HEAD = 'input 28x28x1\n';
const TAIL = 'flatten\ndense 10 softmax\ncompile loss=categorical_crossentropy optimizer=adam\n';

test('a dilated conv2d without an activation is refused, naming its line and a fix', () => {
  const [d] = errorsOf(`${HEAD}conv 8 3x3 relu\nconv 8 3x3 dilation_rate=2\n${TAIL}`);
  assert.match(d?.message ?? '', /conv2d `conv2d_1` \(dilation_rate=2x2, no activation\)/);
  assert.equal(d?.span?.line, 3);
  assert.match(d?.help ?? '', /give the layer an activation/);
});

test('dilated convolutions that mlc can train, and undilated ones, pass', () => {
  for (const layer of ['conv 8 3x3 relu dilation_rate=2', 'conv 8 3x3', 'conv 8 3x3 tanh dilation_rate=1x3']) {
    assert.deepEqual(errorsOf(`${HEAD}${layer}\n${TAIL}`), [], layer);
  }
  assert.deepEqual(errorsOf('input 100x3\nconv1d 8 3 dilation_rate=2\nflatten\ndense 1 sigmoid\ncompile loss=binary_crossentropy optimizer=adam\n'), []);
});
