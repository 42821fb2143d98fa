/**
 * `mlc train --reconstruct`: an autoencoder trained against its input, as
 * Keras's `model.fit(x, x)`. A CSV then has no label column; the loss is
 * the loss between the output and the input itself, so an untrained dense
 * autoencoder's first loss is checked against mse(model(x), x) computed from
 * the saved model's own predictions after training falls.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { skipWithoutTorch } from '../torch/helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'mlc-reconstruct-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function mlc(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

const write = (name: string, text: string) => {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
};

// 4 features that lie on a 2-dimensional plane, so a 2-unit bottleneck can reproduce them.
const rows = Array.from({ length: 60 }, (_, i) => {
  const [u, v] = [Math.sin(i * 0.9), Math.cos(i * 0.4)];
  return [u, v, (u + v) / 2, (u - v) / 2].map((x) => x.toFixed(5));
});
const data = write('points.csv', `a,b,c,d\n${rows.map((r) => r.join(',')).join('\n')}\n`);
const spec = write('ae.model', 'input 4\ndense 2\ndense 4\ncompile loss=mse optimizer=adam(lr=0.05)\nfit epochs=30 batch=16 seed=2\n');

describe('--reconstruct', () => {
  it('trains an autoencoder on a CSV without labels: the loss falls, and it is mse(model(x), x)', () => {
    const dir = join(scratch, 'saved');
    const r = mlc('train', spec, '--backend', 'cpu', '--data', `csv:${data}`, '--reconstruct', '--json', '-o', dir);
    assert.equal(r.status, 0, r.stderr);
    const report = lastJson(r.stdout);
    assert.ok(report.epochs.at(-1).loss < report.epochs[0].loss / 4, `loss falls: ${report.epochs[0].loss} -> ${report.epochs.at(-1).loss}`);
    // The held-out rows are every 5th: 5, 10, ..., 60 (1-based). Their mse against their own predictions is the test loss.
    const test = rows.filter((_, i) => i % 5 === 4);
    const file = write('test.csv', `a,b,c,d\n${test.map((t) => t.join(',')).join('\n')}\n`);
    const p = mlc('predict', dir, file, '--backend', 'cpu', '--json');
    assert.equal(p.status, 0, p.stderr);
    const predictions: { values: number[] }[] = lastJson(p.stdout).predictions;
    const mse = predictions.reduce((sum, pred, i) => sum + pred.values.reduce((s, y, k) => s + (y - Number(test[i][k])) ** 2, 0) / 4, 0) / test.length;
    const evaluated = mlc('evaluate', dir, '--backend', 'cpu', '--json');
    assert.equal(evaluated.status, 0, evaluated.stderr);
    const loss = lastJson(evaluated.stdout).scores.loss;
    assert.ok(Math.abs(loss - mse) < 1e-5 * Math.max(1, mse), `evaluate's loss ${loss} = mse of the predictions against the inputs ${mse}`);
    assert.ok(Math.abs(report.test.loss - loss) < 1e-6, 'train\'s test loss is the same figure');
  });

  it('refuses a model whose output is not the input\'s shape, and says how to fix it', () => {
    const bad = write('bad.model', 'input 4\ndense 2 relu\ndense 3\ncompile loss=mse optimizer=adam\n');
    const r = mlc('train', bad, '--backend', 'cpu', '--data', `csv:${data}`, '--reconstruct');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /--reconstruct trains the output to reproduce the input, but the output is \(None, 3\) and the input \(None, 4\)/);
    assert.match(r.stderr, /help: end the model with a layer giving the input's shape/);
  });

  it('without --reconstruct, an image-shaped output fed class labels suggests it', () => {
    const r = mlc('train', 'specs/conv-autoencoder.model', '--backend', 'cpu', '--limit', '10');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /the output has the input's shape: to train it to reproduce its input \(an autoencoder\), add --reconstruct/);
  });
});

describe('--reconstruct on the torch engine', { skip: skipWithoutTorch('--reconstruct on the torch engine') }, () => {
  it('trains the autoencoder against its input, and the tfjs evaluate of its save agrees with its test loss', () => {
    const dir = join(scratch, 'saved-torch');
    const r = mlc('train', spec, '--engine', 'torch', '--data', `csv:${data}`, '--reconstruct', '--json', '-o', dir);
    assert.equal(r.status, 0, r.stderr);
    const report = lastJson(r.stdout);
    assert.ok(report.epochs.at(-1).loss < report.epochs[0].loss / 4, `loss falls: ${report.epochs[0].loss} -> ${report.epochs.at(-1).loss}`);
    const evaluated = mlc('evaluate', dir, '--backend', 'cpu', '--json');
    assert.equal(evaluated.status, 0, evaluated.stderr);
    assert.ok(Math.abs(lastJson(evaluated.stdout).scores.loss - report.test.loss) < 1e-4, 'the save holds the trained autoencoder');
  });
});
