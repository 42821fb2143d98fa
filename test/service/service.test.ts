/**
 * The language service as a pure API: completion contexts, quick-fix edits,
 * and names (definition, references, rename) in v2 specs. Shapes and counts
 * are Keras's.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as service from '../../src/service/index.js';
import { applyEdits } from '../../bench/lsp-client.js';

const labels = (text: string, line: number, character: number) => service.completions(service.analyse(text, 'x.model'), { line, character }).map((c) => c.label);

/** A two-input graph with a block: the v2 syntax of DSL.md. */
const GRAPH = `model two_tower
input image 28x28x1
input meta 10

block head(units) {
  dense units relu -> dropout 0.5
}

features = image -> conv 8 3 relu -> flatten
context = meta -> dense 16 relu
concat [features, context] -> head 32 -> dense 10 softmax
`;
const v2 = service.analyse(GRAPH, 'two_tower.model');
const v2Parses = !v2.diagnostics.some((d) => d.code === 'E-SYNTAX');
const needsV2 = v2Parses ? {} : { skip: 'this version of the parser does not read v2 (named tensors, blocks)' };

describe('completion', () => {
  test('at the start of a statement: keywords, layer kinds and aliases', () => {
    const got = labels('input 784\n\n', 1, 0);
    for (const l of ['dense', 'conv', 'conv2d', 'maxpool', 'lstm', 'add', 'concat', 'compile', 'fit', 'input']) assert.ok(got.includes(l), l);
    const items = service.completions(service.analyse('input 784\n\n', 'x.model'), { line: 1, character: 0 });
    // Snippets: the required positionals; a merge's tensors first.
    assert.equal(items.find((c) => c.label === 'conv')?.insertText, 'conv ${1:filters} ${2:kernel_size}');
    assert.equal(items.find((c) => c.label === 'concat')?.insertText, 'concat [${1:a}, ${2:b}]');
  });
  test('after a kind: its own options (not those already given, not positionals) and activations', () => {
    const got = labels('input 28x28x1\nconv 32 3 padding=same ', 1, 23);
    assert.ok(got.includes('strides') && got.includes('dilation_rate') && got.includes('use_bias') && got.includes('relu'));
    assert.ok(!got.includes('padding'), 'padding is already given');
    assert.ok(!got.includes('units') && !got.includes('filters'));
  });
  test('after `key=`: that option\'s values', () => {
    assert.deepEqual(labels('input 28x28x1\nconv 32 3 padding=', 1, 18), ['valid', 'same']);
    assert.ok(labels('input 28x28x1\ndense 10 activation=', 1, 20).includes('softmax'));
  });
  test('after `->`: layer kinds', () => {
    const got = labels('input 28x28x1\nconv 32 3 -> ', 1, 13);
    assert.ok(got.includes('maxpool') && got.includes('flatten'));
    assert.ok(!got.includes('padding'));
  });
  test('a wrapper asks for the layer it wraps, then takes that layer\'s options', () => {
    assert.deepEqual(labels('input ?x8\nbidirectional ', 1, 14).slice(0, 3), ['simplernn', 'lstm', 'gru']);
    const inner = labels('input ?x8\nbidirectional lstm 16 ', 1, 22);
    assert.ok(inner.includes('return_sequences') && inner.includes('merge_mode'));
  });
  test('compile: its options, losses, optimizers, an optimizer\'s arguments, metrics', () => {
    assert.deepEqual(labels('compile ', 0, 8).slice(0, 3), ['loss', 'optimizer', 'metrics']);
    assert.ok(labels('compile loss=', 0, 13).includes('sparse_categorical_crossentropy'));
    assert.ok(labels('compile optimizer=', 0, 18).includes('rmsprop'));
    assert.deepEqual(labels('compile optimizer=sgd(', 0, 22), ['learning_rate', 'momentum', 'nesterov']);
    assert.ok(labels('compile metrics=[accuracy, ', 0, 27).includes('precision'));
  });
  test('nothing inside a comment', () => {
    assert.deepEqual(labels('# dense ', 0, 8), []);
  });
});

describe('quick fixes', () => {
  const fix = (text: string) => {
    const a = service.analyse(text, 'x.model');
    const d = a.diagnostics.find((x) => x.severity === 'error')!;
    const range = { start: { line: d.span!.line - 1, character: d.span!.column - 1 }, end: { line: d.span!.line - 1, character: d.span!.column - 1 } };
    return service.codeActions(a, range).map((c) => [c.title, applyEdits(text, c.edits)]);
  };
  test('"did you mean" replaces the word', () => {
    assert.deepEqual(fix('input 784\ndense 10 sofmax\n'), [['Change to `softmax`', 'input 784\ndense 10 softmax\n']]);
  });
  test('a layer added before one inside a `->` chain joins the chain', () => {
    const [[title, fixed]] = fix('input 784\ndense 784 -> conv 32 5x5 relu\n');
    assert.equal(title, 'Add `reshape 28x28x1` before `conv`');
    assert.equal(fixed, 'input 784\ndense 784 -> reshape 28x28x1 -> conv 32 5x5 relu\n');
    assert.deepEqual(service.analyse(fixed, 'x.model').diagnostics, []);
  });
  test('`use padding=same` replaces a written padding', () => {
    const [[, fixed]] = fix('input 8x8x1\nconv 16 9x9 relu padding=valid\n');
    assert.equal(fixed, 'input 8x8x1\nconv 16 9x9 relu padding=same\n');
  });
  test('a help that shows a pattern to fill in (`reshape HxWxC`) gives no edit', () => {
    assert.deepEqual(fix('input 7\nconv 32 3\n'), []);
  });
});

describe('names in v2 specs', () => {
  test('definition and references of a tensor name', needsV2, () => {
    const use = { line: 10, character: 9 }; // `features` in the concat list
    assert.deepEqual(service.definition(v2, use), { start: { line: 8, character: 0 }, end: { line: 8, character: 8 } });
    assert.deepEqual(service.references(v2, use).map((r) => r.start.line), [8, 10]);
    // `image` is used where its chain starts.
    assert.deepEqual(service.references(v2, { line: 1, character: 7 }).map((r) => [r.start.line, r.start.character]), [[1, 6], [8, 11]]);
  });
  test('rename changes the definition and every use, and refuses a clash or a keyword', needsV2, () => {
    const result = service.rename(v2, { line: 9, character: 2 }, 'side');
    assert.ok('edits' in result);
    assert.equal(applyEdits(GRAPH, result.edits), GRAPH.replace('context = meta', 'side = meta').replace(', context]', ', side]'));
    assert.ok('error' in service.rename(v2, { line: 9, character: 2 }, 'features'));
    assert.ok('error' in service.rename(v2, { line: 9, character: 2 }, 'dense'));
    assert.ok('error' in service.rename(v2, { line: 9, character: 2 }, '2x'));
  });
  test('a block and its parameter: rename reaches the calls and the uses inside', needsV2, () => {
    const block = service.rename(v2, { line: 4, character: 7 }, 'classifier');
    assert.ok('edits' in block);
    assert.deepEqual(block.edits.map((e) => e.range.start.line), [4, 10]);
    const param = service.references(v2, { line: 4, character: 12 });
    assert.deepEqual(param.map((r) => [r.start.line, r.start.character]), [[4, 11], [5, 8]]);
  });
  test('hover on `_` and `in` gives the shape of the tensor they stand for', needsV2, () => {
    const text = 'input img 32x32x3\nblock residual(filters) {\n  conv filters 3 padding=same -> add [_, in]\n}\nimg -> conv 32 3 padding=same -> residual 32 -> flatten\n_ -> dense 10\n';
    const a = service.analyse(text, 'r.model');
    assert.deepEqual(a.diagnostics, []);
    const line = text.split('\n')[2];
    // Conv2D(32, 3, padding='same') on 32x32x3 keeps 32x32; flatten gives 32·32·32 = 32768.
    assert.match(service.hover(a, { line: 2, character: line.indexOf('_') })!.contents, /^`_` — .*\(None, 32, 32, 32\)$/);
    assert.match(service.hover(a, { line: 2, character: line.indexOf('in]') })!.contents, /^`in` — the input of block `residual`, \(None, 32, 32, 32\)$/);
    assert.match(service.hover(a, { line: 5, character: 0 })!.contents, /\(None, 32768\)$/);
  });

  test('completion offers the tensors and blocks in scope', needsV2, () => {
    const got = service.completions(v2, { line: 11, character: 0 }).map((c) => c.label);
    for (const name of ['image', 'meta', 'features', 'context', 'head']) assert.ok(got.includes(name), name);
    const inBlock = service.completions(v2, { line: 5, character: 2 }).map((c) => c.label);
    assert.ok(inBlock.includes('in') && !inBlock.includes('features'), 'a block sees only its own names');
  });
});
