import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ModelParser } from '../../src/parser/grammar.js';
import { generateDiagramsHtml, generateEbnf } from '../../src/parser/grammar-doc.js';
import { logicalLines } from '../../src/parser/logical-lines.js';
import { parse, parseEachLine } from '../../src/parser/parse.js';
import { createLexer, getLexer } from '../../src/parser/tokens.js';
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
    for (const r of ['file', 'statement', 'innerStatement', 'layerChain', 'layer', 'blockDefinition', 'blockHeader', 'outputStatement', 'keyValue', 'value', 'atom', 'list', 'map', 'call'])
      assert.match(ebnf, new RegExp(`^${r} = `, 'm'));
    assert.match(ebnf, /^modelStatement = 'model' NAME ;$/m);
    assert.match(ebnf, /^DIMS = \//m);
  });

  it('the `file` rule accepts every valid spec that the line-by-line parse accepts', () => {
    const parser = new ModelParser({ skipValidations: true });
    fc.assert(
      fc.property(validSpec, (source) => {
        parser.input = logicalLines(getLexer().tokenize(source).tokens).stream;
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

describe('whole-file parse', () => {
  it("the lexer passes chevrotain's own definition checks (skipped at run time for speed)", () => {
    assert.doesNotThrow(() => createLexer({ skipValidations: false }));
  });

  it('gives exactly the AST and diagnostics of the line-by-line parse, for valid specs', () => {
    fc.assert(
      fc.property(validSpec, (source) => {
        assert.deepEqual(parse(source), parseEachLine(source));
      }),
      { numRuns: 200 },
    );
  });

  // Mistakes the grammar accepts on purpose are found while building the AST, on both paths alike.
  const lines = [
    'model demo',
    'Input 28x28x1',
    'input 784 float32 name=pixels',
    'conv 32 5x5 relu -> maxpool 2 -> Dense 10relu',
    'dense units=3 10relu 20 -> dropout 0.5',
    'dense 10 use_bias=True',
    'Compile loss=mse optimizer=sgd(momentum=0.9, 0.01) metrics=[accuracy, 1.2.3,]',
    'fit epochs=5 batch=32 # comment',
    'dense 10 softmax',
    'block b(a=1, c) {',
    'block b[x](y=2) {',
    '  compile loss=mse',
    '  Dense 3 -> dense units=2 4',
    '  x = _ -> dense 4*a',
    '}',
    'x = input 784',
    'output a b',
    'y = concat [a, b] -> Dense 2',
    'compile loss={a: mse, b: True}',
  ];
  it('gives the same statements and diagnostics as the line-by-line parse when lines have mistakes', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...lines), { maxLength: 8 }), fc.constantFrom('\n', '\r\n'), (picked, eol) => {
        const source = picked.join(eol);
        assert.deepEqual(parse(source), parseEachLine(source));
      }),
      { numRuns: 100 },
    );
  });

  it('drops exactly the statements with a mistake, and reports each mistake once', () => {
    const { file, diagnostics } = parse('input 784\nDense 10\ndense 10 relu\ndense a=1 2\n');
    assert.deepEqual(file.statements.map((s) => s.span.line), [1, 3]);
    assert.deepEqual(diagnostics.map((d) => d.span?.line), [2, 4]);
  });
});
