/**
 * The VS Code extension's static parts: the TextMate grammar is the one the
 * compiler's tables generate, it gives every construct of the language its
 * scope (vscode-tmgrammar-test on editors/vscode/test/*.test.model, v1 and
 * v2), and the manifest wires the language, grammar and configuration together.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { vscodeGrammarJson } from '../../scripts/vscode-grammar.js';

const EXT = 'editors/vscode';

test('the committed grammar is the generated one (run `npm run generate` after adding a kind or a training name)', () => {
  assert.equal(readFileSync(join(EXT, 'syntaxes/mlc.tmLanguage.json'), 'utf8'), vscodeGrammarJson());
});

test('vscode-tmgrammar-test: every construct of the language gets its scope', () => {
  const pkg = createRequire(import.meta.url).resolve('vscode-tmgrammar-test/package.json');
  const bin = join(dirname(pkg), 'dist/unit.js');
  assert.ok(existsSync(bin), `no ${bin}`);
  const r = spawnSync(process.execPath, [bin, '--compact', '-g', join(EXT, 'syntaxes/mlc.tmLanguage.json'), join(EXT, 'test/*.test.model')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  // Both files ran: a glob that matched nothing would also fail above, but say which ran.
  assert.match(r.stdout, /v1\.test\.model/);
  assert.match(r.stdout, /v2\.test\.model/);
});

test('the manifest contributes the language for .model files with its grammar, configuration, icon and a server command', () => {
  const manifest = JSON.parse(readFileSync(join(EXT, 'package.json'), 'utf8'));
  const [language] = manifest.contributes.languages;
  assert.deepEqual(language.extensions, ['.model']);
  assert.ok(existsSync(join(EXT, language.configuration)));
  assert.ok(existsSync(join(EXT, language.icon.light)) && existsSync(join(EXT, language.icon.dark)));
  const [grammar] = manifest.contributes.grammars;
  assert.equal(grammar.language, language.id);
  assert.equal(grammar.scopeName, 'source.mlc');
  assert.ok(existsSync(join(EXT, grammar.path)));
  assert.deepEqual(manifest.contributes.configuration.properties['mlc.server.command'].default, ['mlc', 'lsp', '--stdio']);
  assert.ok(manifest.dependencies['vscode-languageclient']);

  const config = JSON.parse(readFileSync(join(EXT, language.configuration), 'utf8'));
  assert.equal(config.comments.lineComment, '#');
  assert.deepEqual(config.brackets, [['{', '}'], ['[', ']'], ['(', ')']]);
});
