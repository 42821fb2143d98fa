/**
 * Writes the language reference: grammar/mlc.ebnf and grammar/diagrams.html
 * from the parser's own grammar, and grammar/layers.md from the layer
 * definitions, and the layer table of docs/language.md. Run `npm run grammar` after changing src/parser/grammar.ts,
 * src/parser/tokens.ts or src/layers/; a test fails until you do.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateLayerReference, withLayerTable } from '../src/layers/reference.js';
import { generateDiagramsHtml, generateEbnf } from '../src/parser/grammar-doc.js';

/** The folder holding package.json, found upwards from this script (it runs from scripts/ or dist/scripts/). */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find package.json above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

const out = join(projectRoot(), 'grammar');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'mlc.ebnf'), generateEbnf());
writeFileSync(join(out, 'diagrams.html'), generateDiagramsHtml());
writeFileSync(join(out, 'layers.md'), generateLayerReference());
const language = join(projectRoot(), 'docs', 'language.md');
writeFileSync(language, withLayerTable(readFileSync(language, 'utf8')));
process.stdout.write(`wrote mlc.ebnf, diagrams.html and layers.md in ${out}, and the layer table of ${language}\n`);
