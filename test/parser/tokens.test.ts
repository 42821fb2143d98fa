import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LayerStmt, Value } from '../../src/parser/ast.js';
import { parse } from '../../src/parser/parse.js';

/** The positional values of a one-layer line `probe VALUES`. */
function values(text: string): Value[] {
  const { file, diagnostics } = parse(`probe ${text}\n`);
  assert.deepEqual(diagnostics, [], `unexpected diagnostics for ${text}`);
  const chain = file.statements[0];
  assert.equal(chain.type, 'chain');
  return (chain.layers[0] as LayerStmt).positional;
}

const one = (text: string): Value => {
  const v = values(text);
  assert.equal(v.length, 1, `${text} should be one value`);
  return v[0];
};

describe('values', () => {
  it('reads integers, including negative ones', () => {
    assert.deepEqual(
      values('10 0 -1').map((v) => [v.type, v.type === 'int' && v.value]),
      [
        ['int', 10],
        ['int', 0],
        ['int', -1],
      ],
    );
  });

  it('reads floats in decimal and exponent notation and keeps them as written', () => {
    for (const [raw, value] of [
      ['0.5', 0.5],
      ['.5', 0.5],
      ['1e-4', 1e-4],
      ['1.5E+3', 1500],
      ['-0.25', -0.25],
    ] as const) {
      const v = one(raw);
      assert.equal(v.type, 'float', raw);
      assert.equal(v.type === 'float' && v.value, value);
      assert.equal(v.raw, raw);
    }
  });

  it('reads dims, not an integer followed by a name', () => {
    const v = one('5x5');
    assert.equal(v.type, 'dims');
    assert.deepEqual(v.type === 'dims' && v.dims, [5, 5]);
    assert.deepEqual((one('28x28x1') as { dims: number[] }).dims, [28, 28, 1]);
  });

  it('reads unknown dimensions written `?`', () => {
    assert.deepEqual((one('?x16') as { dims: unknown[] }).dims, [null, 16]);
    const lone = one('?');
    assert.equal(lone.type, 'dims');
    assert.deepEqual(lone.type === 'dims' && lone.dims, [null]);
    assert.deepEqual((one('-1x64') as { dims: number[] }).dims, [-1, 64]);
  });

  it('reads a lone integer as an int, not as dims', () => {
    assert.equal(one('784').type, 'int');
  });

  it('reads identifiers with capitals, digits and underscores', () => {
    const v = one('He_normal2');
    assert.deepEqual([v.type, v.type === 'ident' && v.name], ['ident', 'He_normal2']);
  });

  it('reads identifiers that begin with a keyword', () => {
    assert.deepEqual(
      values('input_dim fitness models truex').map((v) => v.type === 'ident' && v.name),
      ['input_dim', 'fitness', 'models', 'truex'],
    );
  });

  it('reads booleans', () => {
    assert.deepEqual(
      values('true false').map((v) => v.type === 'bool' && v.value),
      [true, false],
    );
  });

  it('reads lists, empty lists and a trailing comma', () => {
    const v = one('[accuracy, mse]');
    assert.equal(v.type, 'list');
    assert.deepEqual(v.type === 'list' && v.items.map((i) => i.raw), ['accuracy', 'mse']);
    assert.deepEqual((one('[]') as { items: unknown[] }).items, []);
    assert.equal((one('[1, 2,]') as { items: unknown[] }).items.length, 2);
    assert.equal((one('[[1, 2], [3]]') as { items: unknown[] }).items.length, 2);
  });

  it('reads calls with keyword and positional arguments', () => {
    const v = one('adam(lr=1e-4)');
    assert.equal(v.type, 'call');
    if (v.type !== 'call') return;
    assert.equal(v.callee, 'adam');
    assert.deepEqual(
      v.options.map((o) => [o.key, o.value.raw]),
      [['lr', '1e-4']],
    );
    const p = one('sgd(0.01, momentum=0.9)');
    assert.ok(p.type === 'call');
    assert.deepEqual(p.type === 'call' && [p.args.map((a) => a.raw), p.options.map((o) => o.key)], [['0.01'], ['momentum']]);
    assert.deepEqual((one('adam()') as { args: unknown[] }).args, []);
  });

  it('keeps the exact text of a list or call in raw', () => {
    assert.equal(one('[a,  b]').raw, '[a,  b]');
    assert.equal(one('adam( lr=1 )').raw, 'adam( lr=1 )');
  });
});

describe('layout', () => {
  it('accepts CRLF line ends, tabs and a byte-order mark', () => {
    const { file, diagnostics } = parse('\uFEFFinput 784\r\n\tdense\t10 softmax\r\n# note\r\n');
    assert.deepEqual(diagnostics, []);
    assert.equal(file.statements.length, 2);
    assert.equal(file.comments[0].text, ' note');
  });

  it('accepts a file without a final newline, blank lines and an empty file', () => {
    assert.equal(parse('input 784\n\n\ndense 10').file.statements.length, 2);
    assert.deepEqual(parse(''), { file: { statements: [], comments: [] }, diagnostics: [] });
  });
});
