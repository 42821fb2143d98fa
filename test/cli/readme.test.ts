/**
 * The README says what the CLI does: its command table lists every command
 * and every flag `--help` shows, and its `bad.model` example is the real
 * output of `mlc check`, line for line.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { buildProgram, type RegisterCommand } from '../../src/cli/program.js';

const README = readFileSync('README.md', 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'mlc-readme-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Every command the CLI registers: each file in src/cli/commands exports `register`. */
async function allCommands(): Promise<RegisterCommand[]> {
  const dir = 'src/cli/commands';
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts')).sort();
  const modules = await Promise.all(files.map((f) => import(pathToFileURL(join(dir, f)).href) as Promise<{ register?: RegisterCommand }>));
  return modules.flatMap((m) => (m.register ? [m.register] : []));
}

test('the command table has a row for every command, naming every flag its --help shows', async () => {
  const program = buildProgram(await allCommands());
  const rows = README.split('\n').filter((l) => l.startsWith('| `mlc '));
  for (const command of program.commands) {
    const row = rows.find((r) => r.startsWith(`| \`mlc ${command.name()} `) || r.startsWith(`| \`mlc ${command.name()}\``));
    assert.ok(row, `no README row for mlc ${command.name()}`);
    const usage = row.split('` |')[0]!;
    for (const option of command.options) {
      const names = [option.long, option.short].filter((n): n is string => n !== undefined);
      assert.ok(names.some((n) => new RegExp(`${n.replace(/-/g, '\\-')}(?![\\w-])`).test(usage)), `mlc ${command.name()}: ${option.flags} is missing from its README row`);
    }
  }
});

test("the README's bad.model example is what mlc check prints", () => {
  const block = /```\n\$ printf '([^']*)' > bad\.model\n\$ npx mlc check bad\.model\n([\s\S]*?)```/.exec(README);
  assert.ok(block, 'the bad.model example is in the README');
  writeFileSync(join(scratch, 'bad.model'), block[1]!.replace(/\\n/g, '\n'));
  // Run where bad.model is, as the README does, so the file is named as there.
  const tsx = pathToFileURL(join(process.cwd(), 'node_modules/tsx/dist/esm/index.mjs')).href;
  const r = spawnSync(process.execPath, ['--import', tsx, join(process.cwd(), 'src/cli/main.ts'), 'check', 'bad.model'], {
    cwd: scratch, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stdout + r.stderr, block[2]);
});
