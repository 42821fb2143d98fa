import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { MAX_SHOWN_LINE, renderDiagnostic, renderDiagnostics } from '../../src/diagnostics/render.js';

const at = (line: number, column: number, endColumn: number): Diagnostic => ({
  severity: 'error', code: 'E-TEST', message: 'unknown layer kind `x`', span: { line, column, endLine: line, endColumn },
});

/** The quoted source line and the caret line of a rendered diagnostic. */
function quoted(text: string): { source: string; caret: string } {
  const lines = text.split('\n');
  return { source: lines[1].replace(/^\s*\d+ \| /, ''), caret: lines[2].replace(/^\s*\| /, '') };
}

describe('rendering source lines', () => {
  it('escapes control characters and keeps the caret under the marked text', () => {
    const source = 'a\x1b[31m b\u202e cc';
    const { source: shown, caret } = quoted(renderDiagnostic(at(1, 11, 13), 'f.model', source));
    assert.equal(shown, 'a\\x1b[31m b\\u202e cc');
    assert.equal(caret.indexOf('^'), shown.indexOf('cc'));
    assert.equal(caret.trim(), '^^');
  });

  it('clips a long line around the caret, so many errors on one line stay linear in size', () => {
    const line = 'dense2 '.repeat(150_000);
    const ds = Array.from({ length: 2000 }, (_, i) => at(1, i * 7 * 70 + 1, i * 7 * 70 + 7));
    const out = renderDiagnostics(ds, 'f.model', line);
    assert.ok(out.length < ds.length * (3 * MAX_SHOWN_LINE + 200), `${out.length} characters`);
    const one = quoted(renderDiagnostic(at(1, 500_001, 500_007), 'f.model', 'x'.repeat(500_000) + 'dense2' + 'y'.repeat(500_000)));
    assert.ok(one.source.startsWith('...') && one.source.endsWith('...'));
    assert.equal(one.source.slice(one.caret.indexOf('^'), one.caret.indexOf('^') + 6), 'dense2');
    assert.ok(one.source.length <= 2 * MAX_SHOWN_LINE);
  });
});

describe('counts', () => {
  it('groups the digits of counts from 1e21 on instead of mixing commas into an exponent', async () => {
    const { groupThousands } = await import('../../src/cli/summary-table.js');
    assert.equal(groupThousands(44426), '44,426');
    assert.equal(groupThousands(1e22), '10,000,000,000,000,000,000,000');
    assert.doesNotMatch(groupThousands(99999999999 * 99999999999), /e|\./);
  });
});
