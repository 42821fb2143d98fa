/**
 * Ctrl-C during `mlc train --engine torch -o DIR`, as on the tfjs engine
 * (test/runtime/interrupt.test.ts): every process is stopped, the folder
 * keeps the last finished epoch, and the command that continues from it is
 * printed, with the engine's own flags.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { skipWithoutTorch } from './helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'mlc-torch-interrupt-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The Python ranks mlc started (tsx's esbuild service is a child of mlc's process too). */
function ranksOf(pid: number): number[] {
  const lines = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout.trim().split('\n');
  return lines.filter((l) => l.includes('program.py')).map((l) => Number(l.trim().split(/\s+/)[0]));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('SIGINT on two processes after the first checkpoint: exit 130, both ranks stopped, the --resume command on stderr',
  { skip: skipWithoutTorch('interrupting the torch engine') }, async () => {
    const dir = join(scratch, 'run');
    const child = spawn(process.execPath, [
      '--import', 'tsx', 'src/cli/main.ts', 'train', 'specs/mnist-mlp.model', '--engine', 'torch', '--nproc', '2',
      '--epochs', '200', '--limit', '256', '--batch', '32', '-o', dir,
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 180_000;
    while (!existsSync(join(dir, 'checkpoint.json')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(existsSync(join(dir, 'checkpoint.json')), `no checkpoint was written: ${stderr}`);
    // The Python ranks, started by mlc (only mlc is sent the signal: it passes it on).
    const ranks = ranksOf(child.pid!);
    assert.equal(ranks.length, 2, `the ranks: ${ranks}`);
    child.kill('SIGINT');
    assert.equal(await exited, 130, stderr);
    assert.deepEqual(ranks.filter(isAlive), [], 'no rank outlives mlc');
    const notice = new RegExp(`training interrupted; ${dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} holds the model after epoch (\\d+) of 200`).exec(stderr);
    assert.ok(notice, stderr);
    const checkpoint = JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')) as { epoch: number; history: unknown[] };
    assert.deepEqual([checkpoint.epoch, checkpoint.history.length], [Number(notice[1]), Number(notice[1])], 'the notice names the epoch the folder holds');
    assert.ok(existsSync(join(dir, 'torch-optimizer.pt')), 'the folder holds the optimizer state to resume with');
    assert.match(stderr, /continue with: mlc train specs\/mnist-mlp\.model --resume \S+ --limit 256 --engine torch --nproc 2$/m);
    assert.doesNotMatch(stderr, /Traceback/);
  });

test('mlc killed outright: its ranks end too, rather than wait for each other',
  { skip: skipWithoutTorch('ending the torch engine') }, async () => {
    const dir = join(scratch, 'killed');
    const child = spawn(process.execPath, [
      '--import', 'tsx', 'src/cli/main.ts', 'train', 'specs/mnist-mlp.model', '--engine', 'torch', '--nproc', '2',
      '--epochs', '200', '--limit', '256', '--batch', '32', '-o', dir,
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const deadline = Date.now() + 180_000;
    while (!existsSync(join(dir, 'checkpoint.json')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(existsSync(join(dir, 'checkpoint.json')), `no checkpoint was written: ${stderr}`);
    const ranks = ranksOf(child.pid!);
    assert.equal(ranks.length, 2, `the ranks: ${ranks}`);
    child.kill('SIGKILL');
    await exited;
    const until = Date.now() + 20_000;
    while (ranks.some(isAlive) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(ranks.filter(isAlive), [], 'no rank outlives mlc');
  });
