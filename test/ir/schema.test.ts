import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateIR, checkDag, compiledValidatorIsCurrent } from '../../src/ir/validate.js';
import type { IR } from '../../src/ir/types.js';
import { compile, irOf, only } from './helpers.js';

test('dropout 1.5: the range error points at the 1.5', () => {
  const d = only(compile('input 4\ndense 8\ndropout 1.5\n').diagnostics, 'E-ARG-RANGE');
  assert.equal(d.message, 'dropout rate must be < 1; got 1.5');
  assert.deepEqual(d.span, { line: 3, column: 9, endLine: 3, endColumn: 12 });
  assert.ok(d.help);
});

test('units 0 is rejected at the 0', () => {
  const d = only(compile('input 4\ndense 0\n').diagnostics, 'E-ARG-RANGE');
  assert.equal(d.message, 'dense units must be >= 1; got 0');
  assert.deepEqual([d.span?.line, d.span?.column], [2, 7]);
});

test('padding=sideways names the choices', () => {
  const d = only(compile('input 28x28x1\nconv 8 3 padding=sideways\n').diagnostics, 'E-ARG-VALUE');
  assert.match(d.message, /conv2d padding must be one of `valid`, `same`; got `sideways`/);
  assert.equal(d.span?.column, 18);
});

test('activation=relux gets "did you mean `relu`?"', () => {
  const d = only(compile('input 4\ndense 8 relux\n').diagnostics, 'E-ARG-VALUE');
  assert.equal(d.help, 'did you mean `relu`?');
  assert.equal(d.span?.column, 9);
  const opt = only(compile('input 4\ndense 8 activation=sigmod\n').diagnostics, 'E-ARG-VALUE');
  assert.equal(opt.help, 'did you mean `sigmoid`?');
});

test('unknown losses, optimizers and metrics are caught with suggestions', () => {
  const loss = only(compile('input 4\ndense 1\ncompile loss=binary_crossentropi\n').diagnostics, 'E-ARG-VALUE');
  assert.equal(loss.help, 'did you mean `binary_crossentropy`?');
  assert.equal(loss.span?.column, 14);
  assert.equal(only(compile('input 4\ndense 1\ncompile loss=mse optimizer=adamm\n').diagnostics, 'E-ARG-VALUE').help, 'did you mean `adam`?');
  const metric = only(compile('input 4\ndense 1\ncompile loss=mse metrics=[mae, acuracy]\n').diagnostics, 'E-ARG-VALUE');
  assert.equal(metric.help, 'did you mean `accuracy`?');
  assert.equal(metric.span?.column, 32);
});

test('optimizer and fit ranges map to the written value', () => {
  const lr = only(compile('input 4\ndense 1\ncompile loss=mse optimizer=sgd(lr=-1)\n').diagnostics, 'E-ARG-RANGE');
  assert.match(lr.message, /optimizer sgd learning_rate must be > 0; got -1/);
  assert.equal(lr.span?.column, 35);
  const split = only(compile('input 4\ndense 1\nfit validation_split=1\n').diagnostics, 'E-ARG-RANGE');
  assert.match(split.message, /fit validation_split must be < 1/);
  assert.equal(split.span?.column, 22);
});

test('an unknown input dtype is named', () => {
  const d = only(compile('input 4 float64\ndense 1\n').diagnostics, 'E-ARG-VALUE');
  assert.match(d.message, /input dtype must be one of `float32`, `int32`; got `float64`/);
});

test('every lowered IR of a valid spec passes the schema', () => {
  const ir = irOf('input ?x10 int32\nembedding 50 8\nbidirectional gru 4 return_sequences=true\nglobalavgpool\ndense 2 softmax\ncompile loss=categorical_crossentropy optimizer=adamax metrics=[accuracy]\nfit epochs=2\n');
  assert.deepEqual(validateIR(ir), []);
});

test('the schema rejects structural damage', () => {
  const ir = irOf('input 4\ndense 3\n');
  const bad = structuredClone(ir) as unknown as Record<string, unknown>;
  bad.irVersion = 3;
  assert.match(validateIR(bad)[0].message, /irVersion must be one of `1`, `2`/);
  const extra = structuredClone(ir);
  (extra.nodes[0].args as Record<string, unknown>).unitz = 3;
  assert.equal(validateIR(extra)[0].help, 'did you mean `units`?');
  assert.match(validateIR({ nodes: 3 })[0].message, /missing/);
});

function chain(): IR {
  return structuredClone(irOf('input 4\ndense 3\ndense 2\n'));
}

test('DAG: a forward or dangling reference, a repeated id, an unknown output', () => {
  const forward = chain();
  forward.nodes[0].inputs = [forward.nodes[1].id];
  assert.match(checkDag(forward)[0].message, /only consume inputs and nodes listed before it/);
  const dangling = chain();
  dangling.nodes[1].inputs = ['nowhere'];
  assert.match(checkDag(dangling)[0].message, /no input or node has that id/);
  const twice = chain();
  twice.nodes[1].id = twice.nodes[0].id;
  assert.ok(checkDag(twice).some((d) => /used twice/.test(d.message)));
  const output = chain();
  output.outputs = ['n42'];
  assert.match(checkDag(output)[0].message, /output `n42`/);
  assert.deepEqual(checkDag(chain()), []);
});

test('duplicate layer names are reported at the second name', () => {
  const d = only(compile('input 4\ndense 3 name=a\ndense 3 name=a\n').diagnostics, 'E-DUPLICATE-NAME');
  assert.deepEqual([d.span?.line, d.span?.column], [3, 14]);
  assert.equal(d.related?.[0].span?.line, 2);
});

test('the build-time compiled validator matches the schema (regenerate: npx tsx src/ir/gen-validator.ts)', () => {
  assert.ok(compiledValidatorIsCurrent());
});
