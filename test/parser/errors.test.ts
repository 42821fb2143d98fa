import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { LayerChain } from '../../src/parser/ast.js';
import { parse } from '../../src/parser/parse.js';

/** The one diagnostic of a one-line file. */
function only(source: string): Diagnostic {
  const { diagnostics } = parse(source);
  assert.equal(diagnostics.length, 1, `expected one diagnostic for ${JSON.stringify(source)}, got ${JSON.stringify(diagnostics, null, 1)}`);
  assert.equal(diagnostics[0].code, 'E-SYNTAX');
  assert.equal(diagnostics[0].severity, 'error');
  return diagnostics[0];
}

const at = (d: Diagnostic) => [d.span?.line, d.span?.column, d.span?.endColumn];

describe('recovery', () => {
  it('reports every bad line once and keeps the good lines', () => {
    const source = [
      'input 28x28x1',
      'conv 32 5x5 relu strides=',
      'maxpool 2',
      'dense 10 @ relu',
      'flatten',
      'dense )',
      'dense 10 softmax',
    ].join('\n');
    const { file, diagnostics } = parse(source);
    assert.deepEqual(
      diagnostics.map((d) => d.span?.line),
      [2, 4, 6],
    );
    assert.deepEqual(
      file.statements.map((s) => (s.type === 'chain' ? s.layers[0].kind : s.type)),
      ['input', 'maxpool', 'flatten', 'dense'],
    );
    assert.equal((file.statements[3] as LayerChain).layers[0].positional[1].raw, 'softmax');
  });

  it('never throws, whatever the text', () => {
    for (const text of [
      '\u0000',
      '\ud800x',
      'dense [1, 2',
      'compile optimizer=adam(lr=1e-4',
      '((((',
      ']]]',
      '->',
      '='.repeat(10000),
      'dense ' + '9'.repeat(100000),
    ]) {
      const r = parse(text);
      assert.ok(Array.isArray(r.diagnostics));
    }
  });
});

describe('messages', () => {
  it('a missing value after =', () => {
    const d = only('conv 32 3x3 strides=\n');
    assert.equal(d.message, 'expected a value after `=` in option `strides=`, found end of line');
    assert.deepEqual(at(d), [1, 21, 22]);
  });

  it('an unexpected closing bracket', () => {
    const d = only('dense 10)\n');
    assert.equal(d.message, 'unexpected `)`');
    assert.deepEqual(at(d), [1, 9, 10]);
  });

  it('a line that does not start with a layer kind', () => {
    const d = only('10 relu\n');
    assert.match(d.message, /^a layer line starts with a layer kind, e\.g\. `dense 10 softmax`/);
    assert.deepEqual(at(d), [1, 1, 3]);
  });

  it('a capitalised layer kind or keyword', () => {
    assert.equal(only('Dense 10 softmax\n').message, 'layer kinds are lower case: did you mean `dense`?');
    assert.equal(only('Model net\n').message, 'keywords are lower case: did you mean `model`?');
    const d = only('dense 10 use_bias=False\n');
    assert.equal(d.message, 'booleans are lower case: did you mean `false`?');
    assert.deepEqual(at(d), [1, 19, 24]);
  });

  it('characters the lexer cannot read, shown even when invisible', () => {
    const d = only('dense 10 $ relu\n');
    assert.equal(d.message, 'unexpected character `$`');
    assert.deepEqual(at(d), [1, 10, 11]);
    assert.equal(only('dense\u0000 10\n').message, 'unexpected character `\\u0000`');
    assert.equal(only('dense 10\u00a0relu\n').message, 'unexpected character `\\u00a0`');
    assert.match(only('dense 10\u00a0relu\n').help ?? '', /non-breaking space/);
    assert.equal(only('conv 32 5\u00d75\n').message, 'unexpected character `\u00d7`');
  });

  it('quoted values, as written in Python', () => {
    const d = only("conv 32 3x3 padding='same'\n");
    assert.equal(d.message, "unexpected character `'`");
    assert.equal(d.help, 'values are written without quotes: write `same`');
    assert.deepEqual(at(d), [1, 21, 27]);
  });

  it('a number run into a name', () => {
    const d = only('conv 32 5x5relu\n');
    assert.equal(d.help, 'did you mean `5x5 relu`?');
    assert.deepEqual(at(d), [1, 9, 16]);
    assert.equal(only('dense 10relu\n').help, 'did you mean `10 relu`?');
    assert.match(only('dense 1.2.3\n').message, /not a valid number/);
  });

  it('commas between positional values', () => {
    const d = only('dense 10, relu\n');
    assert.equal(d.message, 'unexpected `,`');
    assert.match(d.help ?? '', /separate values with spaces/);
  });

  it('Python-style tuples and comma-separated shapes', () => {
    const d = only('conv 32 (3, 3)\n');
    assert.equal(d.message, 'unexpected `(`');
    assert.match(d.help ?? '', /`3x3`/);
    assert.match(only('input 28,28,1\n').help ?? '', /`input 28x28x1`/);
  });

  it('a positional value after an option', () => {
    const d = only('dense 10 use_bias=false relu\n');
    assert.equal(d.message, 'positional value `relu` comes after the option `use_bias=`');
    assert.deepEqual(at(d), [1, 25, 29]);
  });

  it('unterminated lists and calls', () => {
    assert.equal(only('compile metrics=[accuracy\n').message, 'this list is not closed: expected `]` before the end of line');
    const d = only('compile optimizer=adam(lr=1e-4\n');
    assert.equal(d.message, 'the call `adam(` is not closed: expected `)` before the end of line');
    assert.deepEqual(at(d), [1, 31, 32]);
  });

  it('a section with a positional value', () => {
    const d = only('compile adam\n');
    assert.equal(d.message, '`compile` takes options `key=value`, found `adam`');
    assert.deepEqual(at(d), [1, 9, 13]);
  });

  it('a dangling or misplaced ->', () => {
    assert.equal(only('dense 10 ->\n').message, 'expected a layer after `->`, found end of line');
    assert.equal(only('-> dense 10\n').message, 'a line cannot start with `->`');
    assert.match(only('input 784 -> dense 10\n').message, /only layers are joined with `->`/);
  });

  it('input without a shape', () => {
    assert.equal(only('input\n').message, '`input` needs a shape like `784`, `28x28x1` or `?x16`, found end of line');
  });

  it('a model name of two words', () => {
    assert.equal(only('model my net\n').help, 'join words with `_`, e.g. `model mnist_cnn`');
  });
});
