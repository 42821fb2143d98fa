/**
 * The emitted training code runs: train() lowers the loss on a small slice of
 * MNIST, running the module as a program trains and saves the model (a conv
 * model on the wasm backend, which needs the copied kernels), and importing
 * it starts nothing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { compileSource } from '../../src/ir/pipeline.js';
import { compileSpec, emitSpec, makeScratch, removeScratch, ROOT, writeEmitted, type CompiledSpec } from './helpers.js';

interface EmittedTraining {
  train(options: { epochs?: number; limit?: number; log?: (line: string) => void }): Promise<{ history: tf.History; model: tf.LayersModel }>;
}

function runNode(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, encoding: 'utf8' });
}

describe('the emitted training code', () => {
  let scratch: string;
  let mlp: CompiledSpec;
  let mlpPath: string;
  let classifierPath: string;

  before(async () => {
    await tf.setBackend('cpu');
    scratch = makeScratch();
    mlp = compileSpec('specs/mnist-mlp.model');
    mlpPath = writeEmitted(scratch, 'mnist-mlp', await emitSpec(mlp));
    classifierPath = writeEmitted(scratch, 'random-classifier', await emitSpec(compileSpec('specs/random-classifier.model')));
  });

  after(() => removeScratch(scratch));

  it('train() lowers the loss on a small data set and logs each epoch', async () => {
    const mod = (await import(pathToFileURL(mlpPath).href)) as EmittedTraining;
    const lines: string[] = [];
    const { history, model } = await mod.train({ epochs: 3, limit: 256, log: (l) => lines.push(l) });
    const losses = history.history.loss as number[];
    assert.equal(losses.length, 3);
    assert.ok(losses[2] < losses[0], `loss should fall: ${losses.join(', ')}`);
    assert.match(lines[0], /256 train/);
    assert.equal(lines[1], 'backend: wasm');
    assert.deepEqual(lines.filter((l) => l.startsWith('epoch ')).map((l) => l.slice(0, 10)), ['epoch 1/3:', 'epoch 2/3:', 'epoch 3/3:']);
    // Scores as `mlc train` prints them: `accuracy`, which TensorFlow.js calls `acc`.
    assert.match(lines.find((l) => l.startsWith('epoch 1/3'))!, /^epoch 1\/3: loss \d\.\d{4} · accuracy \d\.\d{4}$/);
    assert.ok(lines.some((l) => /^test: loss \d\.\d{4} · accuracy \d\.\d{4}$/.test(l)), 'the held-out split is evaluated');
    model.dispose();
  });

  it('trains a regression on the CSV file given to `mlc emit --data`', async () => {
    // y = 2x + 1 at 50 evenly spaced points: a line the one-unit dense layer can fit.
    const csv = join(scratch, 'line.csv');
    const rows = Array.from({ length: 50 }, (_, i) => { const x = i / 25 - 1; return `${x},${2 * x + 1}`; });
    writeFileSync(csv, `x,y\n${rows.join('\n')}\n`);
    const emitted = await emitSpec(compileSpec('specs/linear-regression.model'), { data: `csv:${csv}` });
    assert.ok(emitted.code!.includes(JSON.stringify(`csv:${csv}`)));
    const mod = (await import(pathToFileURL(writeEmitted(scratch, 'linear-regression', emitted)).href)) as EmittedTraining;
    const { history, model } = await mod.train({ epochs: 60, log: () => {} });
    const losses = history.history.loss as number[];
    assert.equal(losses.length, 60);
    assert.ok(losses[59] < losses[0] / 2, `loss should fall: ${losses[0]} -> ${losses[59]}`);
    model.dispose();
  });

  it('trains an autoencoder against its input, as `mlc train --reconstruct` does', async () => {
    // The convolutional autoencoder's output is 28x28x1, like its input: no per-sample label could feed it.
    const emitted = await emitSpec(compileSpec('specs/conv-autoencoder.model'));
    assert.match(emitted.code!, /const RECONSTRUCT = true;/);
    const mod = (await import(pathToFileURL(writeEmitted(scratch, 'conv-autoencoder', emitted)).href)) as EmittedTraining;
    const lines: string[] = [];
    const { history, model } = await mod.train({ epochs: 2, limit: 64, log: (l) => lines.push(l) });
    const losses = history.history.loss as number[];
    assert.ok(losses[1] < losses[0], `loss should fall: ${losses.join(', ')}`);
    // Binary cross-entropy against the pixels themselves, on the held-out digits too.
    assert.ok(lines.some((l) => /^test: loss \d\.\d{4}$/.test(l)), lines.join('\n'));
    model.dispose();
    // A model whose output could be a label gets no reconstruction code.
    assert.doesNotMatch((await emitSpec(mlp)).code!, /RECONSTRUCT/);
  });

  it('finds the data given to `mlc emit --data` relative to the module, from whatever folder it runs in', async () => {
    const csv = join(scratch, 'data', 'line.csv');
    mkdirSync(dirname(csv), { recursive: true });
    writeFileSync(csv, `x,y\n${Array.from({ length: 20 }, (_, i) => `${i / 10 - 1},${(2 * i) / 10 - 1}`).join('\n')}\n`);
    const moduleDir = join(scratch, 'program');
    // As `mlc emit --data csv:<path from the working folder> -o program/line.ts` run in the repository.
    const emitted = await emitSpec(compileSpec('specs/linear-regression.model'), { data: `csv:${relative(ROOT, csv)}`, moduleDir });
    assert.match(emitted.code!, /DEFAULT_DATA: string \| undefined =\s+"csv:\.\.\/data\/line\.csv"/);
    mkdirSync(moduleDir, { recursive: true });
    const program = writeEmitted(moduleDir, 'line', emitted);
    const r = spawnSync(process.execPath, ['--import', 'tsx', program, '--epochs', '1', '-o', join(scratch, 'line-saved')], { cwd: join(ROOT, 'test'), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^20 rows of .*line\.csv .*16 train, 4 test$/m);
    assert.match(r.stdout, /^epoch 1\/1: loss \d/m);
  });

  it('runs as a program with `mlc train`\'s flags (--batch, -o): trains and saves model.json + weights.bin', () => {
    const out = join(scratch, 'saved');
    const r = runNode([mlpPath, '--epochs', '1', '--batch', '16', '--limit', '64', '-o', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /epoch 1\/1: loss \d/);
    const modelJson = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    assert.equal(modelJson.modelTopology.config.name, 'mnist_mlp');
    assert.deepEqual(modelJson.weightsManifest[0].paths, ['weights.bin']);
    // float32 weights: 4 bytes per parameter (784·512 + 512 + 512·10 + 10).
    assert.equal(statSync(join(out, 'weights.bin')).size, (784 * 512 + 512 + 512 * 10 + 10) * 4);
  });

  it('trains a conv model on the wasm backend, whose conv gradients come from the copied kernels', async () => {
    // Without mlc's kernels this fails: "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'".
    // Seeded, so that two epochs of 256 samples fall the same way on every run (unseeded, RMSprop sometimes overshoots).
    const cnn = compileSpec('specs/mnist-cnn.model');
    const seeded = cnn.source.replace(/^fit .*$/m, (line) => `${line} seed=1`);
    const compiled = compileSource(seeded, cnn.file);
    const cnnPath = writeEmitted(scratch, 'mnist-cnn', await emitSpec({ ...cnn, source: seeded, ir: compiled.ir!, facts: compiled.facts! }));
    const r = runNode([cnnPath, '--epochs', '2', '--limit', '256', '-o', join(scratch, 'cnn-saved')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^backend: wasm$/m);
    const losses = [...r.stdout.matchAll(/^epoch \d\/2: .*?\bloss (\S+?) ·/gm)].map((m) => Number(m[1]));
    assert.equal(losses.length, 2, r.stdout);
    assert.ok(losses.every(Number.isFinite) && losses[1] < losses[0], `loss should fall: ${losses.join(', ')}`);
    assert.ok(existsSync(join(scratch, 'cnn-saved', 'weights.bin')));
  });

  it('starts nothing when imported', () => {
    const probe = `const m = await import(${JSON.stringify(pathToFileURL(mlpPath).href)}); console.log(Object.keys(m).sort().join(','));`;
    const r = runNode(['--input-type=module', '-e', probe]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'DEFAULT_DATA,FIT,buildModel,compileModel,evaluate,main,saveModel,train,useWasmBackend');
    assert.ok(!existsSync(join(ROOT, 'mnist_mlp-model')));
  });

  it('says what to do, without a stack trace, when a model has no default data', () => {
    const r = runNode([classifierPath, '--epochs', '1']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /error: this model has no default data set\nhelp: pass one, e\.g\. `--data csv:FILE`/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
