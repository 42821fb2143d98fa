/**
 * Writes editors/vscode/syntaxes/mlc.tmLanguage.json from ./vscode-grammar.ts.
 * Run `npm run generate` after adding a layer kind or a training name; a test fails until you do.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vscodeGrammarJson } from './vscode-grammar.js';

const file = join(fileURLToPath(new URL('..', import.meta.url)), 'editors/vscode/syntaxes/mlc.tmLanguage.json');
writeFileSync(file, vscodeGrammarJson());
process.stdout.write(`wrote ${file}\n`);
