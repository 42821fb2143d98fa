/** Models TensorFlow.js can run but not train are refused before any data is loaded, at the layer's line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSource } from '../../src/ir/pipeline.js';
import { whyUntrainable } from '../../src/runtime/trainability.js';

function irOf(source: string) {
  const { ir, diagnostics } = compileSource(source, 'x.model');
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
  return ir!;
}

const HEAD = 'input 28x28x1\n';
const TAIL = 'flatten\ndense 10 softmax\ncompile loss=categorical_crossentropy optimizer=adam\n';

test('a dilated conv2d without an activation is refused, naming its line and a fix', () => {
  const why = whyUntrainable(irOf(`${HEAD}conv 8 3x3 relu\nconv 8 3x3 dilation_rate=2\n${TAIL}`), 'x.model');
  assert.match(why ?? '', /^x\.model:3:1: error: .*conv2d `conv2d_1` \(dilation_rate=2x2, no activation\)/);
  assert.match(why ?? '', /help: give the layer an activation/);
});

test('dilated convolutions that mlc can train, and undilated ones, pass', () => {
  for (const layer of ['conv 8 3x3 relu dilation_rate=2', 'conv 8 3x3', 'conv 8 3x3 tanh dilation_rate=1x3']) {
    assert.equal(whyUntrainable(irOf(`${HEAD}${layer}\n${TAIL}`), 'x.model'), undefined, layer);
  }
  assert.equal(whyUntrainable(irOf('input 100x3\nconv1d 8 3 dilation_rate=2\nflatten\ndense 1 sigmoid\ncompile loss=binary_crossentropy optimizer=adam\n'), 'x.model'), undefined);
});
