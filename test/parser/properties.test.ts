import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { format } from '../../src/parser/fmt.js';
import { parse } from '../../src/parser/parse.js';
import { mutatedSpec, validSpec } from './arbitraries.js';
import { meaning } from './helpers.js';

describe('properties', () => {
  it('valid specs parse cleanly, and fmt keeps their meaning and is idempotent', () => {
    fc.assert(
      fc.property(validSpec, (source) => {
        const first = parse(source);
        assert.deepEqual(first.diagnostics, []);
        const formatted = format(first.file, source);
        const second = parse(formatted);
        assert.deepEqual(second.diagnostics, []);
        assert.deepEqual(meaning(second.file), meaning(first.file));
        assert.equal(format(second.file, formatted), formatted);
      }),
      { numRuns: 300 },
    );
  });

  it('mutated specs never make parse throw; what it reports points into the text', () => {
    fc.assert(
      fc.property(mutatedSpec, (source) => {
        const { file, diagnostics } = parse(source);
        const lines = source.split('\n');
        for (const d of diagnostics) {
          assert.notEqual(d.code, 'E-INTERNAL', d.message);
          assert.ok(d.span, 'a syntax error has a span');
          assert.ok(d.span.line >= 1 && d.span.line <= lines.length, `line ${d.span.line} is in the text`);
          assert.ok(d.span.column >= 1 && d.span.column <= lines[d.span.line - 1].length + 1, 'column is on the line');
        }
        if (diagnostics.length === 0) {
          // Whatever parses cleanly formats, and formats to something that means the same.
          const again = parse(format(file, source));
          assert.deepEqual(again.diagnostics, []);
          assert.deepEqual(meaning(again.file), meaning(file));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('arbitrary text never makes parse throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (source) => {
        const { diagnostics } = parse(source);
        assert.ok(diagnostics.every((d) => d.code === 'E-SYNTAX'));
      }),
      { numRuns: 300 },
    );
  });
});
