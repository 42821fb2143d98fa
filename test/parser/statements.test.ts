import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Span } from '../../src/diagnostics/diagnostic.js';
import type { BlockStmt, CallValue, ExprValue, InputStmt, LayerChain, MapValue, ModelStmt, OutputStmt, SectionStmt, Value } from '../../src/parser/ast.js';
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

describe('graphs and blocks (v2)', () => {
  it('binds a chain to a name; the head of a chain is a step the lowering reads', () => {
    const [features, merged] = parseOk(
      'features = image -> conv 32 3 relu -> flatten\nconcat [features, context] -> dense 10 softmax\n',
    ).statements as LayerChain[];
    assert.deepEqual(features.target, { name: 'features', span: span(1, 1, 9) });
    assert.deepEqual(
      features.layers.map((l) => [l.kind, l.positional.length]),
      [
        ['image', 0],
        ['conv', 3],
        ['flatten', 0],
      ],
    );
    assert.deepEqual(features.span, span(1, 1, 46));
    assert.equal(merged.target, undefined);
    const [concat] = merged.layers;
    assert.equal(concat.kind, 'concat');
    assert.deepEqual(
      concat.positional[0].type === 'list' && concat.positional[0].items.map((i) => i.raw),
      ['features', 'context'],
    );
  });

  it('`_` and merges with `_` read like any step', () => {
    const [chain] = parseOk('conv 64 3 padding=same -> add [_, x] -> activation relu\n').statements as LayerChain[];
    const add = chain.layers[1];
    assert.deepEqual([add.kind, add.positional[0].raw], ['add', '[_, x]']);
    const [head] = (parseOk('_ -> dense 10\n').statements as LayerChain[])[0].layers;
    assert.deepEqual([head.kind, head.positional, head.options], ['_', [], []]);
  });

  it('inputs with a name, and an input heading a chain', () => {
    const [image, meta, whole, bound] = parseOk(
      'input image 28x28x1\ninput meta 10 int32\ninput 784 -> dense 512 relu -> dense 10 softmax\nx = input tokens ?x16 int32 -> embedding 100 8\n',
    ).statements as [InputStmt, InputStmt, LayerChain, LayerChain];
    assert.deepEqual([image.type, image.name, image.shape.raw, image.dtype], ['input', { name: 'image', span: span(1, 7, 12) }, '28x28x1', undefined]);
    assert.deepEqual([meta.name?.name, meta.shape.raw, meta.dtype?.name], ['meta', '10', 'int32']);
    assert.equal(whole.type, 'chain');
    assert.deepEqual([whole.input?.shape.raw, whole.input?.span, whole.layers.map((l) => l.kind)], ['784', span(3, 1, 10), ['dense', 'dense']]);
    assert.deepEqual([bound.target?.name, bound.input?.name?.name, bound.input?.dtype?.name, bound.layers.length], ['x', 'tokens', 'int32', 1]);
  });

  it('output lists names in order', () => {
    const [out] = parseOk('output cls box\n').statements as OutputStmt[];
    assert.deepEqual(out, {
      type: 'output',
      names: [
        { name: 'cls', span: span(1, 8, 11) },
        { name: 'box', span: span(1, 12, 15) },
      ],
      span: span(1, 1, 15),
    });
  });

  it('a block: name, parameters with defaults, statements one a line, spans of its braces', () => {
    const source = [
      'block residual(filters, stride=1) {   # one input, `in`',
      '  conv filters 3 strides=stride padding=same -> batchnorm',
      '',
      '  y = conv filters 3 padding=same -> add [_, in]',
      '}',
    ].join('\n');
    const [block] = parseOk(source).statements as BlockStmt[];
    assert.equal(block.type, 'block');
    assert.equal(block.name, 'residual');
    assert.equal(block.inputs, undefined);
    assert.deepEqual(
      block.params.map((p) => [p.name, p.default?.raw]),
      [
        ['filters', undefined],
        ['stride', '1'],
      ],
    );
    assert.deepEqual(
      block.body.map((s) => [s.target?.name, s.layers.map((l) => l.kind)]),
      [
        [undefined, ['conv', 'batchnorm']],
        ['y', ['conv', 'add']],
      ],
    );
    assert.deepEqual([block.openSpan, block.closeSpan, block.span], [span(1, 35, 36), span(5, 1, 2), { line: 1, column: 1, endLine: 5, endColumn: 2 }]);
  });

  it('a block with tensor inputs, and one without parentheses', () => {
    const [fuse, stem] = parseOk('block fuse[a, b](units) {\n  concat [a, b] -> dense units relu\n}\nblock stem {\n  conv 16 3\n}\n')
      .statements as BlockStmt[];
    assert.deepEqual(fuse.inputs?.map((i) => i.name), ['a', 'b']);
    assert.deepEqual(fuse.params.map((p) => p.name), ['units']);
    assert.deepEqual([stem.inputs, stem.params, stem.body.length], [undefined, [], 1]);
    assert.deepEqual(meaning(parseOk('block stem() {\n  conv 16 3\n}\n')), meaning({ statements: [stem], comments: [] }));
  });

  it('a block call reads like a layer, with its tensor inputs first', () => {
    const [chain] = parseOk('x = fuse [a, b] 32 repeat=2 name=f\n').statements as LayerChain[];
    const [call] = chain.layers;
    assert.deepEqual(
      [call.kind, call.positional.map((v) => v.raw), call.options.map((o) => o.key)],
      ['fuse', ['[a, b]', '32'], ['repeat', 'name']],
    );
  });

  it('maps, and losses called with arguments', () => {
    const [compile] = parseOk(
      'compile loss={cls: categorical_crossentropy(from_logits=true), box: mse} loss_weights={cls: 1, box: 0.5,} metrics={}\n',
    ).statements as SectionStmt[];
    const [loss, weights, metrics] = compile.options.map((o) => o.value) as MapValue[];
    assert.equal(loss.type, 'map');
    assert.deepEqual(
      loss.entries.map((e) => [e.key, e.value.type]),
      [
        ['cls', 'call'],
        ['box', 'ident'],
      ],
    );
    assert.deepEqual(loss.entries[0].keySpan, span(1, 15, 18));
    assert.deepEqual(
      weights.entries.map((e) => e.value.raw),
      ['1', '0.5'],
    );
    assert.deepEqual(metrics.entries, []);
  });
});

/** The arithmetic of a value as a fully parenthesised string: the tree's shape. */
function tree(v: Value): string {
  return v.type === 'expr' ? `(${tree(v.left)}${v.operator}${tree(v.right)})` : v.raw;
}

describe('integer arithmetic', () => {
  const value = (text: string): Value => (parseOk(`probe ${text}\n`).statements[0] as LayerChain).layers[0].positional[0];

  it('keeps an expression tree: * and / before + and -, each grouped to the left', () => {
    assert.equal(tree(value('4*filters')), '(4*filters)');
    assert.equal(tree(value('a+b*c-d/2')), '((a+(b*c))-(d/2))');
    assert.equal(tree(value('a-b-c')), '((a-b)-c)');
    assert.equal(tree(value('a/b*c')), '((a/b)*c)');
    assert.equal(tree(value('(a+b)*2')), '((a+b)*2)');
    assert.equal(tree(value('a-(b-c)')), '(a-(b-c))');
  });

  it('keeps spans and the exact text', () => {
    const v = value('(a + b) * 2') as ExprValue;
    assert.equal(v.raw, '(a + b) * 2');
    assert.deepEqual([v.span, v.operatorSpan, v.left.span, v.left.raw], [span(1, 7, 18), span(1, 15, 16), span(1, 7, 14), 'a + b']);
    const paren = value('( 5 )');
    assert.deepEqual([paren.type, paren.raw, paren.type === 'int' && paren.value, paren.span], ['int', '5', 5, span(1, 7, 12)]);
  });

  it('a `-` glued to an operand subtracts; a sign after a space keeps the v1 meaning', () => {
    assert.equal(tree(value('filters-1')), '(filters-1)');
    assert.equal(tree(value('filters - 1')), '(filters-1)');
    assert.equal(tree(value('a--1')), '(a--1)');
    const [a, b] = (parseOk('reshape 4 -1\n').statements[0] as LayerChain).layers[0].positional;
    assert.deepEqual([a.raw, b.raw, b.type], ['4', '-1', 'int']);
    assert.equal(tree(value('[4, -1]')), '[4, -1]');
  });

  it('a `(` after a space groups; glued to a name it calls', () => {
    const [units, sum] = (parseOk('dense units (a+b)\n').statements[0] as LayerChain).layers[0].positional;
    assert.deepEqual([units.type, sum.type], ['ident', 'expr']);
    assert.equal(value('adam(lr=1e-4)').type, 'call');
  });

  it('block parameters and options take arithmetic', () => {
    const [block] = parseOk('block b(f, g=f*2) {\n  conv 4*f 3 strides=g/2\n}\n').statements as BlockStmt[];
    assert.equal(tree(block.params[1].default!), '(f*2)');
    assert.equal(tree(block.body[0].layers[0].options[0].value), '(g/2)');
  });
});

describe('statements over several lines', () => {
  it('go on after `->`, after `,` and inside brackets, with comments and blank lines between', () => {
    const file = parseOk(
      [
        'x = image ->   # the stem',
        '    conv 32 3 relu ->',
        '',
        '    maxpool 2',
        'compile loss={cls: mse,  # per output',
        '              box: mae} metrics=[',
        '  accuracy,',
        ']',
        'concat [a,',
        '  b] -> dense 10',
      ].join('\n'),
    );
    assert.deepEqual(
      file.statements.map((s) => [s.type, s.span.line, s.span.endLine]),
      [
        ['chain', 1, 4],
        ['compile', 5, 8],
        ['chain', 9, 10],
      ],
    );
    assert.deepEqual(
      (file.statements[0] as LayerChain).layers.map((l) => l.kind),
      ['image', 'conv', 'maxpool'],
    );
    assert.equal(file.comments.length, 2);
  });

  it('a block holds statements one a line: its newlines end statements', () => {
    const [block, after] = parseOk('block b {\n  dense 10\n  dense 5\n}\ndense 3\n').statements as [BlockStmt, LayerChain];
    assert.equal(block.body.length, 2);
    assert.equal(after.layers[0].kind, 'dense');
  });

  it('a line starting with a statement keyword ends a bracket left open, so the rest of the file still parses', () => {
    const { file, diagnostics } = parse('compile metrics=[accuracy\nfit epochs=5\ninput 784\n');
    assert.deepEqual(
      diagnostics.map((d) => d.span?.line),
      [1],
    );
    assert.deepEqual(
      file.statements.map((s) => s.type),
      ['fit', 'input'],
    );
  });
});
