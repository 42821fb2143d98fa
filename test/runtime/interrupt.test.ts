/** Ctrl-C during `mlc train -o DIR` keeps the last finished epoch and prints the command that continues from it. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { interruptNotice } from '../../src/runtime/run-train.js';

const scratch = mkdtempSync(join(tmpdir(), 'mlc-interrupt-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('the notice names the folder, the epoch, and a command with the flags a checkpoint does not keep', () => {
  const notice = interruptNotice('specs/my model.model', { backend: 'cpu', data: 'csv:data/x.csv', limit: 100, epochs: 9, batch: 8, output: 'runs/a' }, { dir: 'runs/a', epoch: 2 }, 9);
  assert.equal(notice, [
    'mlc: training interrupted; runs/a holds the model after epoch 2 of 9',
    "continue with: mlc train 'specs/my model.model' --resume runs/a --data csv:data/x.csv --limit 100 --backend cpu",
  ].join('\n'));
  assert.match(interruptNotice('a.model', { backend: 'auto' }, undefined, 3), /nothing was saved \(train with -o DIR/);
  assert.match(interruptNotice('a.model', { backend: 'auto', output: 'runs/a' }, undefined, 3), /no epoch had finished, so nothing was saved/);
});

test('SIGINT after the first checkpoint: exit 130 and the --resume command on stderr', async () => {
  const dir = join(scratch, 'run');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'train', 'specs/mnist-mlp.model', '--epochs', '200', '--limit', '256', '--batch', '32', '--backend', 'cpu', '-o', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 120_000;
  while (!existsSync(join(dir, 'checkpoint.json')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.ok(existsSync(join(dir, 'checkpoint.json')), `no checkpoint was written: ${stderr}`);
  child.kill('SIGINT');
  assert.equal(await exited, 130, stderr);
  assert.match(stderr, new RegExp(`training interrupted; ${dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} holds the model after epoch \\d+ of 200`));
  assert.match(stderr, new RegExp(`continue with: mlc train specs/mnist-mlp\\.model --resume \\S+ --limit 256 --backend cpu$`, 'm'));
});
