import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scanJson } from '../../src/ir/json-locate.js';

test('reads any JSON to the value JSON.parse gives', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
      const text = JSON.stringify(value, null, pretty ? 2 : undefined);
      const scan = scanJson(text);
      assert.equal(scan.error, undefined);
      assert.deepEqual(scan.value, JSON.parse(text));
    }),
    { numRuns: 300, seed: 5 },
  );
});

test('a "__proto__" key is data, as in JSON.parse, not a prototype', () => {
  const value = scanJson('{"__proto__": {"polluted": 1}, "a~b/c": "x\\ty"}').value as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.deepEqual(Object.keys(value), ['__proto__', 'a~b/c']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(value['a~b/c'], 'x\ty');
});

test('every value has the span of its text, under its JSON pointer', () => {
  const text = '{\n  "a~b/c": [1, "two"],\n  "n": null\n}';
  const { spans, keySpans } = scanJson(text);
  const lines = text.split('\n');
  const at = (pointer: string) => {
    const s = spans.get(pointer)!;
    return lines[s.line - 1].slice(s.column - 1, s.endColumn - 1);
  };
  assert.equal(at('/a~0b~1c'), '[1, "two"]');
  assert.equal(at('/a~0b~1c/1'), '"two"');
  assert.equal(at('/n'), 'null');
  assert.deepEqual(keySpans.get('/n'), { line: 3, column: 3, endLine: 3, endColumn: 6 });
});
