/**
 * The installed `mlc` (dist/src/cli/bin.cjs, made by `npm run build`) runs
 * check, summary, ir and fmt from a bundle and every other command unbundled:
 * whichever way a command goes, it must behave exactly as the CLI run from
 * source does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliResult } from './run-cli.js';

const BIN = 'dist/src/cli/bin.cjs';
const BUNDLE = 'dist/src/cli/mlc.cjs';

function runBin(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the build made the bin, the bundle and its code cache', () => {
  for (const file of [BIN, BUNDLE, `${BUNDLE}.v8cache`]) assert.ok(existsSync(file), `${file} is missing: run \`npm run build\``);
});

test('the bundle holds the front end only: no TensorFlow.js, no runtime, no code generator', () => {
  const bundle = readFileSync(BUNDLE, 'utf8');
  assert.match(bundle, /\/\/ src\/parser\/grammar\.ts/, 'the parser is in it');
  // The one runtime module it may hold is the pure "did you mean" helper the data loaders share with the compiler.
  assert.doesNotMatch(bundle, /@tensorflow|\/\/ src\/runtime\/(?!data\/suggest\.ts)|\/\/ src\/codegen\//);
});

test('every command gives what the source CLI gives, bundled or not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlc-bin-'));
  try {
    const bad = join(dir, 'bad.model');
    writeFileSync(bad, 'input 784\nconv 32 5x5 relu\ndense 10 sofmax\n');
    const cases: string[][] = [
      ['check', 'specs/lenet5.model', 'specs/mnist-cnn.model'],
      ['check', bad],
      ['summary', 'specs/cats-vs-dogs.model'],
      ['summary', 'specs/sentiment-rnn.model', '--json'],
      ['ir', 'specs/mnist-mlp.model'],
      ['fmt', 'specs/lenet5.model'],
      ['check', '--help'],
      ['--help'],
      ['chek', 'specs/lenet5.model'],
      ['train', '--help'],
      ['evaluate', join(dir, 'no-model-here'), '--data', 'mnist'],
    ];
    for (const args of cases) {
      const fromSource = runCli(args);
      const installed = runBin(args);
      assert.equal(installed.status, fromSource.status, `mlc ${args.join(' ')}: exit status`);
      assert.equal(installed.stdout, fromSource.stdout, `mlc ${args.join(' ')}: stdout`);
      assert.equal(installed.stderr, fromSource.stderr, `mlc ${args.join(' ')}: stderr`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a code cache that V8 rejects, or none at all, only costs time', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlc-bin-'));
  try {
    // The bin finds the bundle and its cache next to itself; the bundle needs nothing else.
    const bin = join(dir, 'bin.cjs');
    copyFileSync(BIN, bin);
    copyFileSync(BUNDLE, join(dir, 'mlc.cjs'));
    const expected = runCli(['check', 'specs/lenet5.model']);
    for (const cache of ['not a V8 code cache', undefined]) {
      if (cache !== undefined) writeFileSync(join(dir, 'mlc.cjs.v8cache'), cache);
      else rmSync(join(dir, 'mlc.cjs.v8cache'));
      const recorded = join(dir, 'recorded.bin');
      const r = spawnSync(process.execPath, [bin, 'check', 'specs/lenet5.model'], {
        encoding: 'utf8', env: { ...process.env, MLC_WRITE_CODE_CACHE: recorded },
      });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, expected.stdout);
      assert.ok(readFileSync(recorded).length > 0, 'the bundled front end ran (and recorded a fresh cache)');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
