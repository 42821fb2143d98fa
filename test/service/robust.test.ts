/**
 * Whatever the text (a spec in the middle of an edit), every feature of the
 * language service answers without throwing: random one-character edits of
 * every spec in specs/, each feature asked at random places.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import * as service from '../../src/service/index.js';

/** A v2 graph with a block, beside the tutorial specs. */
const GRAPH = `input img 32x32x3
input meta 4
block residual(filters, stride=1) {
  conv filters 3 strides=stride padding=same -> batchnorm
  conv filters 3 padding=same -> add [_, in] -> activation relu
}
x = img -> conv 16 3 relu padding=same -> residual 16 repeat=2 -> flatten
y = meta -> dense 8 relu
concat [x, y] -> dense 2*5 softmax
output _
compile loss={dense: categorical_crossentropy} optimizer=adam(lr=1e-3)
`;
const SPECS = [GRAPH, ...readdirSync('specs').filter((f) => f.endsWith('.model')).map((f) => readFileSync(join('specs', f), 'utf8'))];
/** Characters that make or break statements: digits, letters, the punctuation of the language. */
const CHARS = [...'0123456789xa_ =->[](){},:#?*/+\n'];

test('every feature answers on any text a one-character edit can make', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...SPECS),
      fc.nat(),
      fc.constantFrom(...CHARS, ''),
      fc.nat(),
      (spec, at, ch, probe) => {
        const i = at % (spec.length + 1);
        // Insert a character, or (with '') delete one.
        const text = ch === '' ? spec.slice(0, i) + spec.slice(i + 1) : spec.slice(0, i) + ch + spec.slice(i);
        const a = service.analyse(text, 'edited.model');
        assert.ok(!a.diagnostics.some((d) => d.code === 'E-INTERNAL'), a.diagnostics.map((d) => d.message).join('\n'));
        const lines = text.split('\n');
        const line = probe % lines.length;
        const pos = { line, character: (probe >> 3) % (lines[line].length + 1) };
        service.diagnostics(a);
        service.inlayHints(a);
        service.hover(a, pos);
        service.completions(a, pos);
        service.definition(a, pos);
        service.references(a, pos);
        service.prepareRename(a, pos);
        service.rename(a, pos, 'renamed');
        service.documentSymbols(a);
        service.encodeTokens(service.semanticTokens(a));
        service.formatDocument(a);
        service.codeActions(a, { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } });
      },
    ),
    { numRuns: 400, seed: 1447 },
  );
});
