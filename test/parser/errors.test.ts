import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { BlockStmt, LayerChain } from '../../src/parser/ast.js';
import { MAX_NESTING } from '../../src/parser/logical-lines.js';
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
    assert.match(only('compile loss=mse -> dense 10\n').message, /only layers are joined with `->`/);
    const d = only('dense 10 -> input 784\n');
    assert.equal(d.message, 'expected a layer after `->`, found `input`');
    assert.equal(d.help, '`input` can only head a chain, e.g. `input 784 -> dense 10`');
  });

  it('input without a shape', () => {
    assert.equal(only('input\n').message, '`input` needs a shape like `784`, `28x28x1` or `?x16`, found end of line');
  });

  it('a model name of two words', () => {
    assert.equal(only('model my net\n').help, 'join words with `_`, e.g. `model mnist_cnn`');
  });
});

describe('messages for graphs and blocks (v2)', () => {
  it('`=` without a chain', () => {
    const d = only('x =\n');
    assert.equal(d.message, 'expected a chain after `x =`, found end of line');
    assert.equal(d.help, 'e.g. `x = dense 10 relu` or `x = image -> conv 32 3`');
    assert.match(only('units=3\n').help ?? '', /options `key=value` follow a layer kind/);
    assert.equal(only('x = input 784\n').help, 'write `input x 784`');
  });

  it('a keyword used as a tensor name', () => {
    const d = only('input = dense 10\n');
    assert.equal(d.message, '`input` is a keyword and cannot name a tensor');
    assert.deepEqual(at(d), [1, 1, 6]);
    assert.equal(only('output = dense 10\n').message, '`output` is a keyword and cannot name a tensor');
  });

  it('`output` with nothing, or with commas', () => {
    assert.equal(only('output\n').message, "`output` needs the names of the model's outputs, found end of line");
    assert.equal(only('output a, b\n').help, 'outputs are separated by spaces, e.g. `output cls box`');
  });

  it('an unclosed block, said at its header', () => {
    const { file, diagnostics } = parse('input 784\nblock b(units) {\n  dense units\n');
    assert.deepEqual(
      diagnostics.map((d) => [d.span?.line, d.message]),
      [[2, 'block `b` is not closed: expected `}` on a line of its own after its last statement']],
    );
    assert.deepEqual(
      file.statements.map((s) => s.type),
      ['input'],
    );
  });

  it('a block opened while another is open: the first is not closed', () => {
    const { diagnostics } = parse('block a {\n  dense 1\nblock b {\n  dense 2\n}\n');
    assert.deepEqual(
      diagnostics.map((d) => d.span?.line),
      [1],
    );
  });

  it('a `}` with no block open, or on a statement line', () => {
    assert.equal(only('}\n').message, 'unexpected `}`: no block is open');
    const d = only('block b {\n  dense 10 }\n}\n');
    assert.equal(d.message, 'unexpected `}`');
    assert.match(d.help ?? '', /stands on a line of its own/);
  });

  it('statements on the header line of a block', () => {
    const d = only('block b { dense 10\n}\n');
    assert.equal(d.message, "a block's statements start on the line after `{`; found `dense`");
    assert.deepEqual(at(d), [1, 11, 16]);
  });

  it('a block header without `{`, or with a bad parameter list', () => {
    assert.equal(only('block b(units)\n').message, 'expected `{` at the end of the block header, found end of line');
    assert.equal(only('block b(units filters) {\n}\n').message, "expected `,` or `)` in the block's parameters, found `filters`");
    assert.equal(only('block {\n}\n').message, 'expected a block name after `block`, found `{`');
    assert.match(only('block b[] {\n}\n').message, /lists its tensor inputs/);
  });

  it('block headers: duplicate names and a parameter without a default after one with', () => {
    assert.equal(only('block b[x](x) {\n}\n').message, '`x` is declared twice in the header of block `b`');
    const d = only('block b(a=1, c) {\n}\n');
    assert.equal(d.message, 'parameter `c` has no default but comes after `a=`, which has one');
    assert.deepEqual(at(d), [1, 14, 15]);
  });

  it('statements that belong at top level, inside a block; the block keeps its other statements', () => {
    const { file, diagnostics } = parse('block b {\n  compile loss=mse\n  input 784\n  dense 10\n  output x\n}\n');
    assert.deepEqual(
      diagnostics.map((d) => [d.span?.line, d.message]),
      [
        [2, '`compile` belongs at the top level of the file, not inside block `b`'],
        [3, '`input` belongs at the top level of the file, not inside block `b`'],
        [5, '`output` belongs at the top level of the file, not inside block `b`'],
      ],
    );
    assert.equal((file.statements[0] as BlockStmt).body.length, 1);
  });

  it('maps', () => {
    assert.equal(only('compile loss={cls mse}\n').message, 'expected `:` after the map key `cls`, found `mse`');
    assert.equal(only('compile loss={cls: }\n').message, 'expected a value after `cls:` in the map, found `}`');
    assert.equal(only('compile loss={cls: mse\n').message, 'this map is not closed: expected `}` before the end of line');
    assert.equal(only('compile loss={-: mse}\n').message, 'expected a key in the map, found `-`');
  });

  it('arithmetic', () => {
    assert.equal(only('dense 4*\n').message, 'expected a value after `*`, found end of line');
    assert.equal(only('dense (4+3\n').message, 'this `(` is not closed: expected `)` before the end of line');
    assert.equal(only('dense * 2\n').message, 'unexpected `*`');
  });

  it('a `:` where `=` was meant, and a call written with a space', () => {
    assert.match(only('conv 32 3 strides: 2\n').help ?? '', /options are written `key=value`/);
    assert.equal(only('compile optimizer=adam (lr=1e-4)\n').help, "a call's `(` goes right after its name, without a space: `adam(`");
  });

  it('a list left open over several lines names the line it was opened on', () => {
    const d = only('compile metrics=[accuracy,\n  mse\n');
    assert.equal(d.message, 'this list (opened on line 1) is not closed: expected `]`, found end of line');
    assert.deepEqual(at(d), [2, 6, 7]);
  });
});

describe('nesting', () => {
  const nested = (depth: number) => `compile x=${'f('.repeat(depth)}1${')'.repeat(depth)}\n`;

  it(`reads lists, calls, maps and parentheses nested ${MAX_NESTING} deep`, () => {
    assert.deepEqual(parse(nested(MAX_NESTING)).diagnostics, []);
    assert.deepEqual(parse(`dense ${'('.repeat(MAX_NESTING)}1${')'.repeat(MAX_NESTING)}\n`).diagnostics, []);
  });

  it('refuses deeper nesting with one clear error at the bracket that went too deep, and keeps the other lines', () => {
    for (const text of [nested(300), `dense ${'['.repeat(300)}${']'.repeat(300)}\n`, `compile loss=${'{a: '.repeat(300)}1${'}'.repeat(300)}\n`]) {
      const { file, diagnostics } = parse(`input 784\n${text}dense 10\n`);
      assert.equal(diagnostics.length, 1);
      assert.equal(diagnostics[0].message, `lists, calls, maps and parentheses are nested more than ${MAX_NESTING} deep here`);
      assert.equal(diagnostics[0].span?.line, 2);
      assert.deepEqual(
        file.statements.map((s) => s.type),
        ['input', 'chain'],
      );
    }
  });
});
