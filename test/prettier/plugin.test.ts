/**
 * The prettier plugin (`mlc/prettier`) gives byte for byte what `mlc fmt`
 * gives, through prettier's own API and its command line, and refuses a file
 * with syntax errors as `mlc fmt` does.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as prettier from 'prettier';
import plugin from '../../src/prettier/plugin.js';
import { runCli } from '../cli/run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'mlc-prettier-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Every spec, and each made untidy: runs of spaces, blank lines, trailing blanks and comments. */
function cases(): { name: string; text: string }[] {
  const specs = readdirSync('specs').filter((f) => f.endsWith('.model'));
  return specs.flatMap((f) => {
    const text = readFileSync(join('specs', f), 'utf8');
    const untidy = text.replace(/ (?=\S)/g, '   ').replace(/\n/g, '  \n\n\n') + '\n\n   # the end   ';
    return [
      { name: f, text },
      { name: `untidy-${f}`, text: untidy },
    ];
  });
}

test('prettier with the plugin formats every spec exactly as `mlc fmt` does', async () => {
  const all = cases();
  const files = all.map((c) => {
    const path = join(scratch, c.name);
    writeFileSync(path, c.text);
    return path;
  });
  const r = runCli(['fmt', '--write', ...files]);
  assert.equal(r.status, 0, r.stderr);
  let changed = 0;
  for (const [i, c] of all.entries()) {
    const byMlc = readFileSync(files[i]!, 'utf8');
    if (byMlc !== c.text) changed++;
    const byPrettier = await prettier.format(c.text, { filepath: c.name, plugins: [plugin] });
    assert.equal(byPrettier, byMlc, c.name);
  }
  assert.ok(changed >= all.length / 2, 'the untidy copies were really reformatted');
});

test('a file with a syntax error is refused with its line and column, not rewritten', async () => {
  await assert.rejects(
    prettier.format('input 784\ndense 10 )\n', { parser: 'mlc', plugins: [plugin] }),
    (e: Error & { loc?: { start: { line: number; column: number } } }) => {
      assert.match(e.message, /unexpected `\)`/);
      assert.deepEqual(e.loc?.start, { line: 2, column: 10 });
      return true;
    },
  );
});

test('the package exports the plugin as mlc/prettier, and prettier --plugin mlc/prettier --write uses it', { skip: !existsSync('dist/src/prettier/plugin.js') && 'run `npm run build` first' }, () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, string> };
  assert.equal(pkg.exports['./prettier'], './dist/src/prettier/plugin.js');
  const file = join(scratch, 'cli-untidy.model');
  const reference = join(scratch, 'cli-reference.model');
  const untidy = 'input   784\n\n\n\ndense 10    softmax   # ten classes\n';
  writeFileSync(file, untidy);
  writeFileSync(reference, untidy);
  assert.equal(runCli(['fmt', '--write', reference]).status, 0);
  // Run from the package root, where `mlc/prettier` resolves to the package itself.
  const r = spawnSync(process.execPath, ['node_modules/prettier/bin/prettier.cjs', '--plugin', 'mlc/prettier', '--write', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(file, 'utf8'), readFileSync(reference, 'utf8'));
});
