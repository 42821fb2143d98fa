import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Span } from '../../src/diagnostics/diagnostic.js';
import type { CallValue, InputStmt, LayerChain, ModelStmt, SectionStmt } from '../../src/parser/ast.js';
import { parse } from '../../src/parser/parse.js';
import { meaning } from './helpers.js';

function parseOk(source: string) {
  const r = parse(source);
  assert.deepEqual(r.diagnostics, []);
  return r.file;
}

const span = (line: number, column: number, endColumn: number): Span => ({ line, column, endLine: line, endColumn });

describe('statements', () => {
  it('model NAME', () => {
    const [s] = parseOk('model mnist_cnn\n').statements as ModelStmt[];
    assert.equal(s.type, 'model');
    assert.equal(s.name, 'mnist_cnn');
  });

  it('input SHAPE, with dtype and options', () => {
    const [a, b, c] = parseOk('input 784\ninput ?x16 int32\ninput 28x28x1 name=image\n').statements as InputStmt[];
    assert.deepEqual([a.shape.type, a.shape.raw, a.dtype], ['int', '784', undefined]);
    assert.deepEqual([b.shape.type, b.dtype?.name], ['dims', 'int32']);
    assert.deepEqual([c.dtype, c.options.map((o) => [o.key, o.value.raw])], [undefined, [['name', 'image']]]);
  });

  it('a layer: kind, positional values, options', () => {
    const [chain] = parseOk('conv 32 5x5 relu strides=2 padding=same\n').statements as LayerChain[];
    assert.equal(chain.layers.length, 1);
    const [layer] = chain.layers;
    assert.equal(layer.kind, 'conv');
    assert.deepEqual(
      layer.positional.map((v) => v.type),
      ['int', 'dims', 'ident'],
    );
    assert.deepEqual(
      layer.options.map((o) => `${o.key}=${o.value.raw}`),
      ['strides=2', 'padding=same'],
    );
  });

  it('a layer with a wrapped layer as positional values (bidirectional lstm 64)', () => {
    const [chain] = parseOk('bidirectional lstm 64 return_sequences=true\n').statements as LayerChain[];
    assert.deepEqual(
      chain.layers[0].positional.map((v) => v.raw),
      ['lstm', '64'],
    );
  });

  it('layers joined by ->', () => {
    const [chain] = parseOk('conv 64 5x5 relu -> maxpool 2 -> flatten\n').statements as LayerChain[];
    assert.deepEqual(
      chain.layers.map((l) => l.kind),
      ['conv', 'maxpool', 'flatten'],
    );
    assert.deepEqual(parseOk('dense 10->dropout 0.5\n').statements.length, 1);
  });

  it('compile and fit sections', () => {
    const [c, f] = parseOk(
      'compile loss=sparse_categorical_crossentropy optimizer=sgd(lr=0.9) metrics=[accuracy]\nfit epochs=5 batch=32 validation_split=0.1 shuffle=true seed=1447\n',
    ).statements as SectionStmt[];
    assert.equal(c.type, 'compile');
    assert.deepEqual(
      c.options.map((o) => [o.key, o.value.type]),
      [
        ['loss', 'ident'],
        ['optimizer', 'call'],
        ['metrics', 'list'],
      ],
    );
    assert.equal(f.type, 'fit');
    assert.deepEqual(
      f.options.map((o) => o.key),
      ['epochs', 'batch', 'validation_split', 'shuffle', 'seed'],
    );
    assert.deepEqual(parseOk('compile\n').statements, [{ type: 'compile', options: [], span: span(1, 1, 8) }]);
  });

  it('the tutorial example from the language reference', () => {
    const file = parseOk(`# MNIST CNN from the tutorial
model mnist_cnn

input 28x28x1
conv 32 5x5 relu
conv 64 5x5 relu -> maxpool 2
flatten
dense 128 relu
dense 10 softmax

compile loss=categorical_crossentropy optimizer=rmsprop metrics=[accuracy]
fit epochs=5 batch=128 validation_split=0.1
`);
    assert.deepEqual(
      file.statements.map((s) => s.type),
      ['model', 'input', 'chain', 'chain', 'chain', 'chain', 'chain', 'compile', 'fit'],
    );
    assert.equal(file.comments.length, 1);
  });

  it('comments: full-line and trailing, text after #', () => {
    const file = parseOk('# top\ndense 10  # ten # units\n');
    assert.deepEqual(
      meaning(file),
      meaning({
        statements: file.statements,
        comments: [
          { text: ' top', span: span(1, 1, 6) },
          { text: ' ten # units', span: span(2, 11, 24) },
        ],
      }),
    );
    assert.deepEqual(
      file.comments.map((c) => c.span),
      [span(1, 1, 6), span(2, 11, 24)],
    );
  });
});

describe('spans', () => {
  const source = [
    '# MNIST',
    'model mnist_cnn   # name',
    'input 28x28x1',
    '  conv 32 5x5 relu -> maxpool 2',
    'compile optimizer=adam(lr=1e-4) metrics=[accuracy]',
    '',
  ].join('\n');
  const file = parseOk(source);
  const [model, input, chain, compile] = file.statements as [ModelStmt, InputStmt, LayerChain, SectionStmt];

  it('comments', () => {
    assert.deepEqual(
      file.comments.map((c) => c.span),
      [span(1, 1, 8), span(2, 19, 25)],
    );
  });

  it('model and input', () => {
    assert.deepEqual([model.span, model.nameSpan], [span(2, 1, 16), span(2, 7, 16)]);
    assert.deepEqual([input.span, input.shape.span], [span(3, 1, 14), span(3, 7, 14)]);
  });

  it('a chain, its layers and their values', () => {
    const [conv, pool] = chain.layers;
    assert.deepEqual(chain.span, span(4, 3, 32));
    assert.deepEqual([conv.span, conv.kindSpan], [span(4, 3, 19), span(4, 3, 7)]);
    assert.deepEqual(
      conv.positional.map((v) => v.span),
      [span(4, 8, 10), span(4, 11, 14), span(4, 15, 19)],
    );
    assert.deepEqual([pool.span, pool.kindSpan, pool.positional[0].span], [span(4, 23, 32), span(4, 23, 30), span(4, 31, 32)]);
  });

  it('options, calls and lists', () => {
    assert.deepEqual(compile.span, span(5, 1, 51));
    const [optimizer, metrics] = compile.options;
    assert.deepEqual([optimizer.span, optimizer.keySpan], [span(5, 9, 32), span(5, 9, 18)]);
    const call = optimizer.value as CallValue;
    assert.deepEqual(
      [call.span, call.calleeSpan, call.options[0].span, call.options[0].value.span],
      [span(5, 19, 32), span(5, 19, 23), span(5, 24, 31), span(5, 27, 31)],
    );
    assert.deepEqual([metrics.span, metrics.value.span], [span(5, 33, 51), span(5, 41, 51)]);
  });
});
