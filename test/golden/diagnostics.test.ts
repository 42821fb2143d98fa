/**
 * Golden tests of the exact diagnostic text users see: each
 * test/golden/cases/NAME.model is checked and its rendered diagnostics must
 * equal NAME.expected, which was reviewed by hand. After an intended change of
 * wording, regenerate with `UPDATE_GOLDEN=1 node scripts/run-tests.mjs golden`
 * and review the diff before committing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSource } from '../../src/ir/pipeline.js';
import { renderDiagnostics } from '../../src/diagnostics/render.js';

const DIR = 'test/golden/cases';

for (const name of readdirSync(DIR).filter((f) => f.endsWith('.model')).sort()) {
  test(`diagnostics of ${name}`, () => {
    const file = join(DIR, name);
    const source = readFileSync(file, 'utf8');
    const result = compileSource(source, name);
    const rendered = renderDiagnostics(result.diagnostics, name, source) + '\n';
    const expectedFile = file.replace(/\.model$/, '.expected');
    if (process.env.UPDATE_GOLDEN) writeFileSync(expectedFile, rendered);
    assert.equal(rendered, readFileSync(expectedFile, 'utf8'));
  });
}
