import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ModelParser } from '../../src/parser/grammar.js';
import { generateDiagramsHtml, generateEbnf } from '../../src/parser/grammar-doc.js';
import { getLexer } from '../../src/parser/tokens.js';
import { validSpec } from './arbitraries.js';

const STALE = 'grammar/ is stale: run `npm run build && npm run grammar` and commit the result';

describe('grammar', () => {
  it("passes chevrotain's own grammar validations (skipped at run time for speed)", () => {
    assert.doesNotThrow(() => new ModelParser({ skipValidations: false }));
  });

  it('grammar/mlc.ebnf is up to date with the parser', () => {
    assert.equal(readFileSync('grammar/mlc.ebnf', 'utf8'), generateEbnf(), STALE);
  });

  it('grammar/diagrams.html is up to date with the parser', () => {
    assert.equal(readFileSync('grammar/diagrams.html', 'utf8'), generateDiagramsHtml(), STALE);
  });

  it('the EBNF names every rule and the literal keywords', () => {
    const ebnf = generateEbnf();
    for (const r of ['file', 'statement', 'layerChain', 'layer', 'keyValue', 'value', 'list', 'call'])
      assert.match(ebnf, new RegExp(`^${r} = `, 'm'));
    assert.match(ebnf, /^modelStatement = 'model' NAME ;$/m);
    assert.match(ebnf, /^DIMS = \//m);
  });

  it('the `file` rule accepts every valid spec that the line-by-line parse accepts', () => {
    const parser = new ModelParser({ skipValidations: true });
    fc.assert(
      fc.property(validSpec, (source) => {
        parser.input = getLexer().tokenize(source).tokens;
        parser.file();
        assert.deepEqual(
          parser.errors.map((e) => e.message),
          [],
        );
      }),
      { numRuns: 200 },
    );
  });
});
