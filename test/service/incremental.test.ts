/**
 * An editor's document is analysed with a parse cache kept from one version of
 * its text to the next. Whatever the edits, each version's analysis must be
 * exactly a from-scratch analysis of the same text: same AST, diagnostics
 * and inlay hints. Random edit sequences over every spec in specs/ (and
 * over text that does not parse) check it.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import * as service from '../../src/service/index.js';

const SPECS_DIR = join(import.meta.dirname, '../../specs');
const specs = readdirSync(SPECS_DIR)
  .filter((f) => f.endsWith('.model'))
  .map((f) => ({ name: f, text: readFileSync(join(SPECS_DIR, f), 'utf8') }));

/** An edit as an editor makes one: type or delete a character, a word or a line; paste a line elsewhere. */
type Edit =
  | { type: 'insert'; at: number; text: string }
  | { type: 'delete'; at: number; length: number }
  | { type: 'copyLine'; from: number; to: number }
  | { type: 'deleteLine'; line: number };

const typed = fc.constantFrom('1', '0', ' ', '\n', 'x', '-', '>', '->', '[', ']', '{', '}', '(', ')', ',', '=', '#', '_', 'relu', 'dense 8', 'block b {\n', 'in', '\n}\n', 'conv 4 3');

const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ type: fc.constant('insert' as const), at: fc.nat(), text: typed }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('copyLine' as const), from: fc.nat(), to: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('deleteLine' as const), line: fc.nat() }) },
);

function apply(text: string, e: Edit): string {
  switch (e.type) {
    case 'insert': {
      const at = e.at % (text.length + 1);
      return text.slice(0, at) + e.text + text.slice(at);
    }
    case 'delete': {
      const at = e.at % (text.length + 1);
      return text.slice(0, at) + text.slice(at + e.length);
    }
    case 'copyLine': {
      const lines = text.split('\n');
      lines.splice(e.to % (lines.length + 1), 0, lines[e.from % lines.length]);
      return lines.join('\n');
    }
    case 'deleteLine': {
      const lines = text.split('\n');
      lines.splice(e.line % lines.length, 1);
      return lines.join('\n');
    }
  }
}

/** What an editor is shown of an analysis, and the AST it came from. */
function observed(a: service.Analysis) {
  return { ast: a.ast, diagnostics: service.diagnostics(a), hints: service.inlayHints(a), irNodes: a.ir?.nodes.map((n) => [n.id, n.name, n.kind]) };
}

describe('incremental analysis: a document analysed with its parse cache equals a fresh analysis', () => {
  test('random edit sequences over every spec', () => {
    fc.assert(
      fc.property(fc.constantFrom(...specs), fc.array(edit, { minLength: 1, maxLength: 12 }), (spec, edits) => {
        const cache = new service.ParseCache();
        let text = spec.text;
        service.analyse(text, spec.name, cache);
        for (const e of edits) {
          text = apply(text, e);
          assert.deepEqual(observed(service.analyse(text, spec.name, cache)), observed(service.analyse(text, spec.name)), `after edits of ${spec.name}:\n${text}`);
        }
      }),
      { numRuns: 150 },
    );
  });

  test('typing a character and taking it out again, as the bench does, keeps every hint', () => {
    const spec = specs.find((s) => s.name === 'resnet50.model') ?? specs[0];
    const cache = new service.ParseCache();
    const lines = spec.text.split('\n');
    const line = lines.findIndex((l) => /dense \d/.test(l));
    const edited = [...lines];
    edited[line] = edited[line].replace(/dense \d/, (d) => `${d}1`);
    for (const text of [spec.text, edited.join('\n'), spec.text, edited.join('\n')]) {
      assert.deepEqual(observed(service.analyse(text, spec.name, cache)), observed(service.analyse(text, spec.name)));
    }
    // The edit is seen: the edited line's layer has another shape or count.
    assert.notDeepEqual(service.inlayHints(service.analyse(edited.join('\n'), spec.name)), service.inlayHints(service.analyse(spec.text, spec.name)));
  });
});
