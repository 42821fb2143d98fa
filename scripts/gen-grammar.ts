/**
 * Writes the grammar reference, grammar/mlc.ebnf and grammar/diagrams.html,
 * from the parser's own grammar. Run `npm run grammar` after changing
 * src/parser/grammar.ts or src/parser/tokens.ts; a test fails until you do.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
process.stdout.write(`wrote ${join(out, 'mlc.ebnf')} and ${join(out, 'diagrams.html')}\n`);
