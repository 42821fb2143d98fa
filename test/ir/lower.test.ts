import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lower } from '../../src/ir/lower.js';
import type { ModelFile } from '../../src/parser/ast.js';
import { codes, irOf, lowerText, nodeOf, only } from './helpers.js';

test('a hand-built AST lowers without the parser', () => {
  const at = (column: number, length: number) => ({ line: 1, column, endLine: 1, endColumn: column + length });
  const file: ModelFile = {
    comments: [],
    statements: [
      { type: 'input', shape: { type: 'int', value: 4, raw: '4', span: at(7, 1) }, options: [], span: at(1, 7) },
      {
        type: 'chain',
        span: at(1, 10),
        layers: [{ type: 'layer', kind: 'dense', kindSpan: at(1, 5), positional: [{ type: 'int', value: 3, raw: '3', span: at(7, 1) }], options: [], span: at(1, 7) }],
      },
    ],
  };
  const r = lower(file, 'tiny');
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.ir?.name, 'tiny');
  assert.deepEqual(r.ir?.nodes[0].args, { units: 3, activation: 'linear', use_bias: true });
  assert.deepEqual(r.ir?.nodes[0].argSpans?.units, at(7, 1));
});

test('conv resolves its alias and fills every Keras default', () => {
  const node = nodeOf('input 28x28x1\nconv 32 5 relu\n');
  assert.equal(node.kind, 'conv2d');
  assert.equal(node.kerasClass, 'Conv2D');
  assert.deepEqual(node.args, {
    filters: 32,
    kernel_size: [5, 5],
    activation: 'relu',
    strides: [1, 1],
    padding: 'valid',
    dilation_rate: [1, 1],
    use_bias: true,
  });
});

test('dims and option aliases: 5x5, stride=, dilation=', () => {
  const node = nodeOf('input 28x28x1\nconv2d 8 3x5 stride=2 padding=same\n');
  assert.deepEqual(node.args.kernel_size, [3, 5]);
  assert.deepEqual(node.args.strides, [2, 2]);
  assert.equal(node.args.padding, 'same');
  assert.deepEqual(nodeOf('input 28x28x1\nconv 8 3 dilation=2\n').args.dilation_rate, [2, 2]);
});

test('pooling strides default to the pool size, widened to 2-D', () => {
  const node = nodeOf('input 28x28x1\nmaxpool 3\n');
  assert.equal(node.kind, 'maxpool2d');
  assert.deepEqual(node.args.pool_size, [3, 3]);
  assert.deepEqual(node.args.strides, [3, 3]);
  assert.deepEqual(nodeOf('input 28x28x1\nmaxpool 2 strides=1\n').args.strides, [1, 1]);
});

test('spans: the node, and each argument where it was written', () => {
  const node = nodeOf('input 4\ndense 10 softmax use_bias=false\n');
  assert.deepEqual(node.span, { line: 2, column: 1, endLine: 2, endColumn: 32 });
  assert.equal(node.argSpans?.units.column, 7);
  assert.equal(node.argSpans?.activation.column, 10);
  assert.equal(node.argSpans?.use_bias.column, 27);
});

test('the chain: the first layer consumes the input, the output is the last layer', () => {
  const ir = irOf('input 784\ndense 32 relu -> dense 16\ndense 10 softmax\n');
  assert.deepEqual(ir.inputs.map((i) => [i.id, i.shape, i.dtype]), [['input', [784], 'float32']]);
  assert.deepEqual(ir.nodes.map((n) => n.inputs[0]), ['input', ir.nodes[0].id, ir.nodes[1].id]);
  assert.deepEqual(ir.outputs, [ir.nodes[2].id]);
  assert.equal(new Set(ir.nodes.map((n) => n.id)).size, 3);
});

test('input shapes and dtypes: 28x28x1, ?x16 int32', () => {
  assert.deepEqual(irOf('input 28x28x1\nflatten\n').inputs[0].shape, [28, 28, 1]);
  const seq = irOf('input ?x16 int32\nembedding 100 8\n').inputs[0];
  assert.deepEqual(seq.shape, [null, 16]);
  assert.equal(seq.dtype, 'int32');
});

test('model name: the `model` line, else the name passed in', () => {
  assert.equal(irOf('model lenet\ninput 4\ndense 1\n').name, 'lenet');
  assert.equal(lowerText('input 4\ndense 1\n', 'from_file').ir?.name, 'from_file');
});

test('Keras default names, counted per class and per model', () => {
  const ir = irOf(
    'input 28x28x1\nconv 8 3 -> maxpool 2\nconv 8 3 -> maxpool 2\nbatchnorm\nupsample 2\nflatten\ndense 10\ndense 10\n',
  );
  assert.deepEqual(ir.nodes.map((n) => n.name), [
    'conv2d', 'max_pooling2d', 'conv2d_1', 'max_pooling2d_1', 'batch_normalization', 'up_sampling2d', 'flatten', 'dense', 'dense_1',
  ]);
  assert.deepEqual(irOf('input ?x8\nsimplernn 4 return_sequences=true\nlstm 4\n').nodes.map((n) => n.name), ['simple_rnn', 'lstm']);
});

test('a user name wins, and default names step around it', () => {
  const ir = irOf('input 4\ndense 3 name=dense\ndense 3\ndense 3 name=head\n');
  assert.deepEqual(ir.nodes.map((n) => n.name), ['dense', 'dense_1', 'head']);
});

test('bidirectional: the inner recurrent layer takes the positionals and its own options', () => {
  const node = nodeOf('input ?x8\nbidirectional lstm 64 return_sequences=true merge_mode=sum\n');
  assert.equal(node.kind, 'bidirectional');
  assert.equal(node.name, 'bidirectional');
  assert.equal(node.args.merge_mode, 'sum');
  const inner = node.args.layer as { kind: string; kerasClass: string; name: string; args: Record<string, unknown> };
  assert.equal(inner.kind, 'lstm');
  assert.equal(inner.kerasClass, 'LSTM');
  assert.equal(inner.name, 'lstm');
  assert.equal(inner.args.units, 64);
  assert.equal(inner.args.return_sequences, true);
  assert.equal(inner.args.activation, 'tanh');
  assert.equal(node.argSpans?.['layer/args/units'].column, 20);
});

test('a wrapped layer takes its Keras name from the same counter as the others', () => {
  const ir = irOf('input ?x8\nbidirectional gru 4 return_sequences=true\ngru 4\n');
  assert.equal((ir.nodes[0].args.layer as { name: string }).name, 'gru');
  assert.equal(ir.nodes[1].name, 'gru_1');
});

test('compile: loss and metric aliases, optimizer defaults and `lr`', () => {
  const c = irOf('input 4\ndense 3 softmax\ncompile loss=categorical_crossentropy optimizer=adam(lr=1e-4) metrics=[acc, mean_absolute_error]\n').compile!;
  assert.equal(c.loss, 'categorical_crossentropy');
  assert.deepEqual(c.metrics, ['accuracy', 'mae']);
  assert.deepEqual(c.optimizer, { name: 'adam', args: { learning_rate: 1e-4, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false } });
  assert.equal(c.argSpans?.['optimizer/args/learning_rate'].column, 57);
});

test('compile: Keras optimizer defaults, a positional learning rate, the default optimizer', () => {
  const opt = (o: string) => irOf(`input 4\ndense 1\ncompile loss=mse ${o}\n`).compile!.optimizer;
  assert.equal(opt('optimizer=sgd').args.learning_rate, 0.01);
  assert.equal(opt('optimizer=sgd').args.momentum, 0);
  assert.equal(opt('optimizer=rmsprop').args.learning_rate, 0.001);
  assert.equal(opt('optimizer=adadelta').args.rho, 0.95);
  assert.equal(opt('optimizer=sgd(0.5)').args.learning_rate, 0.5);
  assert.equal(opt('optimizer=sgd(learning_rate=0.2, nesterov=true)').args.nesterov, true);
  assert.equal(opt('').name, 'rmsprop');
  assert.equal(irOf('input 4\ndense 1\ncompile loss=mean_squared_error\n').compile!.loss, 'mse');
});

test('fit: `batch` alias and Keras defaults', () => {
  const fit = irOf('input 4\ndense 1\nfit epochs=3 batch=64 seed=7\n').fit!;
  assert.deepEqual({ ...fit, span: undefined, argSpans: undefined }, { epochs: 3, batch_size: 64, validation_split: 0, shuffle: true, seed: 7, span: undefined, argSpans: undefined });
  const defaults = irOf('input 4\ndense 1\nfit\n').fit!;
  assert.equal(defaults.batch_size, 32);
  assert.equal(defaults.epochs, 1);
  assert.equal('seed' in defaults, false);
});

test('unknown kinds and options get a suggestion', () => {
  const kind = only(lowerText('input 4\ndense2 10\n').diagnostics, 'E-UNKNOWN-KIND');
  assert.equal(kind.help, 'did you mean `dense`?');
  assert.deepEqual([kind.span?.line, kind.span?.column], [2, 1]);
  const opt = only(lowerText('input 4\ndense 10 use_bais=false\n').diagnostics, 'E-UNKNOWN-OPTION');
  assert.equal(opt.help, 'did you mean `use_bias`?');
  assert.equal(opt.span?.column, 10);
  assert.equal(only(lowerText('input 4\ndense 1\ncompile loss=mse optimizer=adam(lr=1, beta1=0.5)\n').diagnostics, 'E-UNKNOWN-OPTION').help, 'did you mean `beta_1`?');
  assert.equal(only(lowerText('input 4\ndense 1\nfit epochs=1 bacth=3\n').diagnostics, 'E-UNKNOWN-OPTION').help, 'did you mean `batch`?');
});

test('a value of the wrong type says what was expected', () => {
  const d = only(lowerText('input 4\ndense units=relu\n').diagnostics, 'E-ARG-TYPE');
  assert.match(d.message, /dense `units` expects an integer; got name `relu`/);
  assert.equal(d.span?.column, 13);
  assert.match(only(lowerText('input 4\ndense 2.5\n').diagnostics, 'E-ARG-TYPE').message, /integer/);
  assert.match(only(lowerText('input 28x28x1\nconv 8 3x3x3\n').diagnostics, 'E-ARG-TYPE').message, /2 sizes/);
});

test('duplicate options, also through an alias', () => {
  const d = only(lowerText('input 28x28x1\nconv 8 3 strides=2 stride=1\n').diagnostics, 'E-DUPLICATE-OPTION');
  assert.equal(d.related?.[0].span?.column, 10);
  only(lowerText('input 4\ndense 3 units=4\n').diagnostics, 'E-DUPLICATE-OPTION');
  only(lowerText('input 4\ndense 1\ncompile loss=mse optimizer=adam(lr=0.1, learning_rate=0.2)\n').diagnostics, 'E-DUPLICATE-OPTION');
});

test('missing and extra positional values', () => {
  assert.match(only(lowerText('input 4\ndense\n').diagnostics, 'E-MISSING-ARG').message, /dense needs `units`/);
  const extra = only(lowerText('input 4\ndense 3 relu 7 8\n').diagnostics, 'E-EXTRA-POSITIONAL');
  assert.equal(extra.span?.column, 14);
});

test('statement-level problems: two inputs, a layer before input, no input, no loss', () => {
  only(lowerText('input 4\ninput 5\ndense 1\n').diagnostics, 'E-DUPLICATE-STATEMENT');
  const order = only(lowerText('dense 1\ninput 4\n').diagnostics, 'E-INPUT-ORDER');
  assert.equal(order.span?.line, 2);
  const noInput = lowerText('dense 10\n');
  assert.ok(noInput.ir, 'the file still lowers');
  assert.deepEqual(codes(noInput.diagnostics), ['E-NO-INPUT']);
  assert.match(noInput.diagnostics[0].help ?? '', /input 28x28x1/);
  only(lowerText('input 4\ndense 1\ncompile optimizer=sgd\n').diagnostics, 'E-MISSING-ARG');
  only(lowerText('input 4\n').diagnostics, 'E-NO-LAYERS');
});
