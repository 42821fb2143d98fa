/** Lowering the v2 language: names, inputs, merges, outputs, blocks, repeat, naming scopes and their diagnostics. */
import assert from 'node:assert/strict';
import { outputSpecs } from '../../src/ir/outputs.js';
import { test } from 'node:test';
import { compileIRJson, compileSource } from '../../src/ir/pipeline.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { codes, irOf, lowerText, only } from './helpers.js';

const errors = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === 'error');
const named = (source: string) => irOf(source).nodes.map((n) => n.name);

test('two inputs, named tensors and a merge: each node reads what its statement names', () => {
  const ir = irOf(
    [
      'input image 28x28x1',
      'input meta 10',
      'features = image -> conv 8 3 relu -> flatten',
      'context = meta -> dense 16 relu',
      'concat [features, context] -> dense 10 softmax',
    ].join('\n'),
  );
  assert.deepEqual(ir.irVersion, 2);
  assert.deepEqual(
    ir.inputs.map((i) => [i.id, i.name, i.shape]),
    [
      ['image', 'image', [28, 28, 1]],
      ['meta', 'meta', [10]],
    ],
  );
  assert.deepEqual(
    ir.nodes.map((n) => [n.id, n.name, n.inputs]),
    [
      ['n1', 'conv2d', ['image']],
      ['n2', 'flatten', ['n1']],
      ['n3', 'dense', ['meta']],
      ['n4', 'concatenate', ['n2', 'n3']],
      ['n5', 'dense_1', ['n4']],
    ],
  );
  assert.deepEqual(ir.outputs, ['n5']);
});

test('an input heading a chain: a whole model on one line', () => {
  const ir = irOf('input 784 -> dense 512 relu -> dense 10 softmax\n');
  assert.deepEqual(ir.inputs.map((i) => [i.id, i.name]), [['input', 'input_layer']]);
  assert.deepEqual(ir.nodes.map((n) => n.inputs), [['input'], ['n1']]);
});

test('`_` is the tensor on the left, or the previous statement\'s output at the start of a line', () => {
  const ir = irOf('input x 8x8x4\nconv 4 3 padding=same -> add [_, x] -> activation relu\nadd [_, x]\n');
  assert.deepEqual(ir.nodes.map((n) => [n.kind, n.inputs]), [
    ['conv2d', ['x']],
    ['add', ['n1', 'x']],
    ['activation', ['n2']],
    ['add', ['n3', 'x']],
  ]);
});

test('output lists several outputs in order', () => {
  const ir = irOf('input x 4\ncls = x -> dense 3 softmax\nbox = x -> dense 4\noutput cls box\n');
  assert.deepEqual(ir.outputs, ['n1', 'n2']);
});

test('a block: parameters, defaults, arithmetic, `in`, and its layers named after the call', () => {
  const ir = irOf(
    [
      'input 8x8x16',
      'block residual(filters, stride=1) {',
      '  conv filters 3 strides=stride padding=same -> batchnorm',
      '  conv 4*filters/4 3 padding=same -> add [_, in] -> activation relu',
      '}',
      'residual 16 -> residual filters=16 name=last',
    ].join('\n'),
  );
  assert.deepEqual(ir.nodes.map((n) => n.name), [
    'residual_conv2d',
    'residual_batch_normalization',
    'residual_conv2d_1',
    'residual_add',
    'residual_activation',
    'last_conv2d',
    'last_batch_normalization',
    'last_conv2d_1',
    'last_add',
    'last_activation',
  ]);
  assert.deepEqual(ir.nodes[0].args.filters, 16);
  assert.deepEqual(ir.nodes[0].args.strides, [1, 1]);
  assert.deepEqual(ir.nodes[2].args.filters, 16);
  assert.deepEqual(ir.nodes[3].inputs, ['n3', 'input']);
  assert.deepEqual(ir.nodes[5].callPath?.map((c) => [c.block, c.name, c.span?.line]), [['residual', 'last', 6]]);
});

test('naming scopes: counters start afresh in each call, nested calls are named in their caller\'s scope', () => {
  const names = named(
    [
      'input 8x8x4',
      'block residual(f) {',
      '  conv f 3 padding=same -> add [_, in]',
      '}',
      'block stage(f) {',
      '  residual f repeat=3',
      '}',
      'conv 4 1 -> stage 4 -> stage 4 -> conv 4 1',
    ].join('\n'),
  );
  assert.ok(names.includes('stage_1_residual_2_conv2d'), names.join(' '));
  assert.deepEqual(names.slice(0, 3), ['conv2d', 'stage_residual_conv2d', 'stage_residual_add']);
  // The calls do not advance the model's counter: the last conv is the model's second.
  assert.equal(names[names.length - 1], 'conv2d_1');
  assert.equal(new Set(names).size, names.length);
});

test('repeat=N on a layer chains N copies; with name=, the copies are suffixed', () => {
  const ir = irOf('input 4\ndense 8 relu repeat=3\ndense 2 repeat=2 name=head\n');
  assert.deepEqual(ir.nodes.map((n) => [n.name, n.inputs]), [
    ['dense', ['input']],
    ['dense_1', ['n1']],
    ['dense_2', ['n2']],
    ['head_1', ['n3']],
    ['head_2', ['n4']],
  ]);
  assert.match(only(lowerText('input x 4\nadd [x, x] repeat=2\n').diagnostics, 'E-REPEAT').message, /not to the merge `add`/);
});

test('a block with tensor inputs is called with them first', () => {
  const ir = irOf('input a 4\ninput b 4\nblock fuse[p, q](units) {\n  concat [p, q] -> dense units\n}\nfuse [a, b] 3\n');
  assert.deepEqual(ir.nodes.map((n) => [n.name, n.inputs]), [
    ['fuse_concatenate', ['a', 'b']],
    ['fuse_dense', ['n1']],
  ]);
});

test('the Keras functional-API guide toy ResNet, written with a block, has Keras\'s 223,242 parameters', () => {
  const source = [
    'input img 32x32x3',
    'block residual {',
    '  conv 64 3 relu padding=same -> conv 64 3 relu padding=same -> add [_, in]',
    '}',
    'img -> conv 32 3 relu -> conv 64 3 relu -> maxpool 3 -> residual repeat=2',
    'conv 64 3 relu -> globalavgpool -> dense 256 relu -> dropout 0.5 -> dense 10',
  ].join('\n');
  const r = compileSource(source, 'toy.model');
  assert.deepEqual(errors(r.diagnostics), []);
  assert.equal(r.facts?.totalParams, 223242);
});

test('several outputs and the merges infer Keras\'s shapes', () => {
  const r = compileSource('input a 8x8x3\ninput b 8x8x5\nx = concat [a, b]\ny = a -> conv 5 1\nz = add [b, y]\noutput x z\n', 'm.model');
  assert.deepEqual(errors(r.diagnostics), []);
  assert.deepEqual(r.facts?.nodes.map((n) => n.outputShape), [[null, 8, 8, 8], [null, 8, 8, 5], [null, 8, 8, 5]]);
});

test('diagnostics: an undefined or misspelled name, with "did you mean"', () => {
  const d = only(lowerText('input image 4\nfeatures = image -> dense 3\nconcat [featurs, image]\n').diagnostics, 'E-UNDEFINED');
  assert.equal(d.message, '`featurs` is not defined');
  assert.equal(d.help, 'did you mean `features`?');
  assert.deepEqual([d.span?.line, d.span?.column], [3, 9]);
  assert.equal(only(lowerText('input image 4\nimgae -> dense 3\n').diagnostics, 'E-UNDEFINED').help, 'did you mean `image`?');
});

test('diagnostics: an unused tensor is a warning', () => {
  const r = lowerText('input x 4\nunused = x -> dense 3\nx -> dense 2\n');
  const d = only(r.diagnostics, 'W-UNUSED');
  assert.equal(d.severity, 'warning');
  assert.equal(d.message, '`unused` is never used');
  assert.equal(d.span?.line, 2);
});

test('diagnostics: duplicate input names, `_` with nothing flowing in, `output` of an undefined name', () => {
  const dup = only(lowerText('input x 4\ninput x 5\nx -> dense 1\n').diagnostics, 'E-DUPLICATE-NAME');
  assert.deepEqual([dup.message, dup.span?.line, dup.related?.[0].span?.line], ['input `x` is declared twice', 2, 1]);
  const flow = only(lowerText('_ -> dense 1\ninput 4\n').diagnostics, 'E-NO-FLOW');
  assert.equal(flow.span?.line, 1);
  const out = only(lowerText('input x 4\ny = x -> dense 1\noutput y z\n').diagnostics, 'E-UNDEFINED');
  assert.deepEqual([out.message, out.span?.line, out.span?.column], ['`z` is not defined', 3, 10]);
  assert.equal(only(lowerText('input 4\ninput 5\ndense 1\n').diagnostics, 'E-DUPLICATE-STATEMENT').help, 'name each input to have several, e.g. `input image 28x28x1` and `input meta 10`');
});

test('diagnostics: a missing block parameter, an unknown one, and a bad call', () => {
  const source = 'input 4\nblock b(units, rate=0.5) {\n  dense units -> dropout rate\n}\n';
  const missing = only(lowerText(source + 'b\n').diagnostics, 'E-MISSING-ARG');
  assert.deepEqual([missing.message, missing.span?.line, missing.related?.[0].span?.line], ['block `b` needs `units`', 5, 2]);
  assert.equal(only(lowerText(source + 'b 3 rat=0.1\n').diagnostics, 'E-UNKNOWN-OPTION').help, 'did you mean `rate`?');
});

test('diagnostics: an error inside a block points at the line in the block, with a note at the call, once', () => {
  const source = 'input 8x8x3\nblock b(f) {\n  conv f 3 paddin=same\n}\nb 4 -> b 8\n';
  const d = only(lowerText(source).diagnostics, 'E-UNKNOWN-OPTION');
  assert.equal(d.span?.line, 3);
  assert.deepEqual(d.related?.map((r) => [r.message, r.span?.line]), [['in block `b`, called here', 5]]);
  // A shape error found by inference inside a block also names the call.
  const r = compileSource('input 4x4x3\nblock b(f) {\n  conv f 5\n}\nb 4\n', 'm.model');
  const shape = errors(r.diagnostics)[0];
  assert.equal(shape.span?.line, 3);
  assert.ok(shape.related?.some((x) => x.message === 'in block `b`, called here (as `b`)' && x.span?.line === 5), JSON.stringify(shape.related));
});

test('diagnostics: recursion and blocks used before their definition are refused', () => {
  assert.match(only(lowerText('input 4\nblock a {\n  a\n}\na\n').diagnostics, 'E-RECURSION').message, /calls itself/);
  assert.match(only(lowerText('input 4\nblock a {\n  b\n}\nblock b {\n  dense 1\n}\na\n').diagnostics, 'E-BLOCK-ORDER').message, /defined below/);
  assert.match(only(lowerText('input 4\nlater 3\nblock later(u) {\n  dense u\n}\n').diagnostics, 'E-BLOCK-ORDER').message, /defined below its use/);
});

test('diagnostics: integer arithmetic divides exactly', () => {
  const d = only(lowerText('input 4\nblock b(f) {\n  dense f/3\n}\nb 8\n').diagnostics, 'E-ARITHMETIC');
  assert.equal(d.message, '`f/3` is not a whole number: 8/3 = 2.6667');
  assert.equal(d.span?.line, 3);
  assert.match(only(lowerText('input 4\ndense 2*units\n').diagnostics, 'E-ARITHMETIC').message, /`units` is neither/);
});

test('diagnostics: names that cannot be bound', () => {
  assert.match(only(lowerText('input 4\ndense = dense 3\n').diagnostics, 'E-NAME').message, /is a layer kind/);
  assert.match(only(lowerText('input 4\n_ = dense 3\n').diagnostics, 'E-RESERVED').message, /reserved/);
  const dup = only(lowerText('input 4\nx = dense 3\nx = dense 2\n').diagnostics, 'E-DUPLICATE-NAME');
  assert.equal(dup.related?.[0].span?.line, 2);
});

test('v1 files lower as before: one unnamed input, each statement reading the previous one', () => {
  const ir = irOf('input 28x28x1\nconv 8 3 relu -> maxpool 2\nflatten\ndense 10 softmax\n');
  assert.deepEqual(ir.nodes.map((n) => [n.name, n.inputs, n.callPath]), [
    ['conv2d', ['input'], undefined],
    ['max_pooling2d', ['n1'], undefined],
    ['flatten', ['n2'], undefined],
    ['dense', ['n3'], undefined],
  ]);
  assert.deepEqual(codes(lowerText('input 4\ndense 3\n').diagnostics), []);
});

test('compile maps keyed by output names: a loss, a weight and metrics for each output', () => {
  const ir = irOf(
    [
      'input x 8',
      'cls = x -> dense 3 softmax',
      'box = x -> dense 4',
      'output cls box',
      'compile loss={cls: categorical_crossentropy(from_logits=true), box: mse} loss_weights={box: 0.5} metrics={cls: [accuracy]}',
    ].join('\n'),
  );
  // The IR keeps the maps keyed by the output names; outputSpecs resolves each output's part.
  assert.deepEqual(ir.outputNames, ['cls', 'box']);
  assert.deepEqual(outputSpecs(ir), [
    { id: 'n1', name: 'cls', loss: 'categorical_crossentropy', lossArgs: { from_logits: true }, weight: 1, metrics: ['accuracy'] },
    { id: 'n2', name: 'box', loss: 'mse', weight: 0.5, metrics: [] },
  ]);
  assert.equal(irOf('input 4\ndense 2 softmax\ncompile loss=categorical_crossentropy(from_logits=true)\n').compile?.lossArgs?.from_logits, true);
});

test('compile maps: keys that are not outputs, a missing loss, unnamed outputs, a loss that takes no arguments', () => {
  const head = 'input x 8\ncls = x -> dense 3\nbox = x -> dense 4\noutput cls box\n';
  const unknown = only(lowerText(head + 'compile loss={cls: mse, bx: mse}\n').diagnostics, 'E-UNKNOWN-OUTPUT');
  assert.deepEqual([unknown.message, unknown.help], ['compile `loss`: `bx` is not an output of the model', 'did you mean `box`?']);
  assert.match(only(lowerText(head + 'compile loss={cls: mse}\n').diagnostics, 'E-MISSING-ARG').message, /no entry for the output `box`/);
  assert.match(only(lowerText('input 4\ndense 2\ncompile loss={y: mse}\n').diagnostics, 'E-ARG-TYPE').message, /outputs are not named/);
  assert.equal(only(lowerText('input 4\ndense 2\ncompile loss=mse(from_logits=true)\n').diagnostics, 'E-ARG-TYPE').message, 'the loss `mse` takes no arguments');
  // An IR file's maps get the same check, with the same words.
  const ir = irOf(head + 'compile loss={cls: mse, box: mse}\n');
  const edited = { ...ir, compile: { ...ir.compile!, loss: { cls: 'mse', bx: 'mse' } } };
  const fromIR = compileIRJson(JSON.stringify(edited), 'm.json').diagnostics;
  assert.deepEqual(fromIR.filter((d) => d.severity === 'error').map((d) => [d.code, d.message]).sort(), [
    ['E-MISSING-ARG', 'compile `loss` has no entry for the output `box`'],
    ['E-UNKNOWN-OUTPUT', 'compile `loss`: `bx` is not an output of the model'],
  ]);
});

test('IR JSON: version 2 with call paths round-trips, and a version 1 file still loads', () => {
  const ir = irOf('input x 4x4x2\nblock b(f) {\n  conv f 1 -> add [_, in]\n}\nb 2\n');
  assert.deepEqual(ir.nodes[0].callPath?.map((c) => [c.block, c.name]), [['b', 'b']]);
  const again = compileIRJson(JSON.stringify(ir), 'm.json');
  assert.deepEqual(errors(again.diagnostics), []);
  assert.deepEqual(again.facts?.nodes.map((n) => n.outputShape), [[null, 4, 4, 2], [null, 4, 4, 2]]);
  const v1 = irOf('input 4\ndense 3\n');
  const old = { ...v1, irVersion: 1 };
  assert.deepEqual(errors(compileIRJson(JSON.stringify(old), 'old.json').diagnostics), []);
});

test('diagnostics: `in` outside a one-input block', () => {
  assert.match(only(lowerText('input 4\nin -> dense 3\n').diagnostics, 'E-UNDEFINED').message, /^`in` is not defined: `in` is the input of a block with one input/);
  const d = only(lowerText('input a 4\nblock f[x](u) {\n  concat [in, x] -> dense u\n}\nf [a] 2\n').diagnostics, 'E-UNDEFINED');
  assert.equal(d.message, '`in` is not defined: block `f` has named inputs (x), not `in`');
});

test('a capitalised layer kind is told to be lower case; a capitalised word that is no kind is not offered in lower case', () => {
  assert.equal(only(lowerText('input 4\nDense 10 softmax\n').diagnostics, 'E-UNKNOWN-KIND').message, 'layer kinds are lower case: did you mean `dense`?');
  const foo = only(lowerText('input 4\nFoo 3\n').diagnostics, 'E-UNKNOWN-KIND');
  assert.equal(foo.message, 'unknown layer kind `Foo`');
  assert.doesNotMatch(foo.help ?? '', /`foo`/);
  // A capitalised tensor name is a name like any other.
  assert.deepEqual(lowerText('input X 4\nX -> dense 2\n').diagnostics.filter((d) => d.severity === 'error'), []);
});
