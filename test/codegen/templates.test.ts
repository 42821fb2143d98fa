import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { uniqueIdentifiers } from '../../src/codegen/identifiers.js';
import { printLayerCall, printValue } from '../../src/codegen/literal.js';
import { blockCommentSafe, lineCommentSafe, SourceComments } from '../../src/codegen/source-comments.js';
import { lowerNode } from '../../src/targets/tfjs/lower.js';

describe('layer calls', () => {
  it('prints a bidirectional layer with its recurrent layer nested as a call', () => {
    const code = printLayerCall(lowerNode({
      kind: 'bidirectional', kerasClass: 'Bidirectional', name: 'bidirectional',
      args: { merge_mode: 'concat', layer: { kind: 'lstm', kerasClass: 'LSTM', name: 'lstm', args: { units: 4, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, return_sequences: false, dropout: 0, recurrent_dropout: 0 } } },
    }));
    assert.match(code, /^tf\.layers\.bidirectional\(\{ layer: tf\.layers\.lstm\(\{ units: 4, .*\}\), mergeMode: "concat", name: "bidirectional" \}\)$/);
  });
});

describe('config literals', () => {
  it('prints JSON-like data with bare keys where TypeScript allows them', () => {
    assert.equal(printValue({ units: 3, 'odd-key': [1, null, true], s: 'a"b' }), '{ units: 3, "odd-key": [1, null, true], s: "a\\"b" }');
    assert.equal(printValue(1e-7), '1e-7');
  });

  it('prints serialized initializers as tf.initializers calls, which tfjs typings accept', () => {
    assert.equal(printValue({ className: 'GlorotUniform', config: { seed: 5 } }), 'tf.initializers.glorotUniform({ seed: 5 })');
  });

  it('prints a layer spec as a tf.layers factory call', () => {
    assert.equal(printLayerCall({ factory: 'maxPooling2d', config: { poolSize: [2, 2] } }), 'tf.layers.maxPooling2d({ poolSize: [2, 2] })');
  });
});

describe('identifiers and comments', () => {
  it('makes layer names into distinct, legal variable names', () => {
    assert.deepEqual(uniqueIdentifiers(['dense', 'my-layer', 'class', '1st', 'tf', 'dense'], ['tf']),
      ['dense', 'my_layer', 'class_1', '_1st', 'tf_1', 'dense_1']);
  });

  it('quotes the whole line, or a layer\'s own part of a `->` line', () => {
    const comments = new SourceComments('input 28x28x1\nconv 64 5x5 relu -> maxpool 2   # pool\n');
    assert.equal(comments.above({ line: 1, column: 1, endLine: 1, endColumn: 14 }), '// input 28x28x1\n');
    assert.equal(comments.above({ line: 2, column: 21, endLine: 2, endColumn: 30 }), '// maxpool 2\n');
    assert.equal(comments.above(undefined), '');
    assert.equal(new SourceComments(undefined).above({ line: 1, column: 1, endLine: 1, endColumn: 2 }), '');
  });

  it('keeps quoted text from ending a comment early', () => {
    assert.equal(lineCommentSafe('dense 3\u2028model.fit()'), 'dense 3 model.fit()');
    assert.equal(blockCommentSafe('from specs/*/x.model'), 'from specs/*\\/x.model');
  });
});
