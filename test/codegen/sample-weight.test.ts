/**
 * Keras's sample_weight in emitted code (`--sample-weight COLUMN`): tfjs's
 * model.fit takes none, so the emitted program trains with the copied
 * mlc-fit/weighted-fit.ts. Checked here: weights of 1 train exactly as
 * model.fit trains without weights; a batch's loss is Σ weight · loss over
 * the batch size plus the penalties (Keras 3's sum_over_batch_size), computed
 * by hand from the model's predictions; and the emitted program, run as a
 * command, trains as `mlc train --sample-weight` does on the same data and
 * seed, with class weights, a schedule and callbacks. `mlc emit --data
 * csv:FILE --sample-weight NAME` makes that column the default of the
 * TypeScript program and puts the weights beside the PyTorch program.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { skipWithoutTorch, torchPython } from '../torch/helpers.js';
import { compileSpec, emitSpec, makeScratch, removeScratch, ROOT, runMlc, writeEmitted } from './helpers.js';

interface TrainOptions {
  data?: string;
  sampleWeight?: string;
  shuffle?: boolean;
  validationSplit?: number;
  saveTo?: string;
  log?: (line: string) => void;
}

interface EmittedModule {
  buildModel(): tf.LayersModel;
  compileModel(model: tf.LayersModel): void;
  train(options: TrainOptions): Promise<{ history: tf.History; model: tf.LayersModel }>;
}

interface EmittedFitHelpers {
  fitWithSampleWeights(
    tfjs: typeof tf, model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, weights: Float32Array,
    args: { epochs: number; batchSize: number; shuffle?: boolean; callbacks?: tf.CustomCallbackArgs },
  ): Promise<tf.History>;
}

/** 40 rows of 3 features; the class is the largest feature's index; `w` (when given) is each row's weight. */
function table(weight?: (i: number) => number): string {
  const rows = Array.from({ length: 40 }, (_, i) => {
    const f = [Math.sin(i), Math.cos(i * 1.3), Math.sin(i * 0.7 + 1)];
    const label = f.indexOf(Math.max(...f));
    return [...f.map((v) => v.toFixed(4)), ...(weight ? [weight(i)] : []), label].join(',');
  });
  return `a,b,c,${weight ? 'w,' : ''}label\n${rows.join('\n')}\n`;
}

/** `mlc train --json`'s loss for each epoch (on wasm, unless the arguments name the torch engine). */
function mlcTrainLosses(...args: string[]): number[] {
  const r = runMlc(['train', '--json', ...(args.includes('torch') ? [] : ['--backend', 'wasm']), ...args]);
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout.trim().split('\n').at(-1)!).epochs as { loss: number }[]).map((e) => e.loss);
}

const close = (a: number, b: number, tolerance: number) => Math.abs(a - b) <= tolerance;

describe('emitted training with sample weights', () => {
  let scratch: string;
  let mod: EmittedModule;
  let modulePath: string;
  const csv = (name: string, weight?: (i: number) => number) => {
    const file = join(scratch, `${name}.csv`);
    writeFileSync(file, table(weight));
    return file;
  };

  before(async () => {
    scratch = makeScratch();
    const emitted = await emitSpec(compileSpec('test/codegen/specs/sample-weight.model'));
    assert.match(emitted.code!, /"sample-weight": \{ type: "string" \}/, 'main() takes --sample-weight');
    modulePath = writeEmitted(scratch, 'sample-weight', emitted);
    mod = (await import(pathToFileURL(modulePath).href)) as EmittedModule;
  });
  after(() => removeScratch(scratch));

  it('weights of 1 train exactly as model.fit trains without them; val_loss also counts the penalty, as in Keras', async () => {
    // Unshuffled, so both see the same batches; the last quarter is held out.
    const options = { shuffle: false, validationSplit: 0.25, log: () => {} };
    const plain = await mod.train({ ...options, data: `csv:${csv('plain')}` });
    const ones = await mod.train({ ...options, data: `csv:${csv('ones', () => 1)}`, sampleWeight: 'w' });
    const [p, o] = [plain.history.history, ones.history.history] as Record<string, number[]>[];
    for (const key of ['loss', 'acc', 'val_acc']) {
      assert.equal(o[key].length, 2, key);
      o[key].forEach((v, epoch) => assert.ok(close(v, p[key][epoch], 1e-6), `${key}, epoch ${epoch + 1}: ${v} vs model.fit's ${p[key][epoch]}`));
    }
    // TensorFlow.js's model.fit leaves the l2 penalty out of val_loss; Keras (and `mlc train`) add it: 0.01 · Σ kernel².
    const kernel = ones.model.getWeights()[0];
    assert.deepEqual(kernel.shape, [3, 4]);
    const penalty = 0.01 * (await kernel.square().sum().data())[0];
    assert.ok(close(o.val_loss[1] - p.val_loss[1], penalty, 1e-5), `val_loss ${o.val_loss[1]} - ${p.val_loss[1]} = the penalty ${penalty}`);
    plain.model.dispose();
    ones.model.dispose();
  });

  it('weights of 0 on half the rows: the loss is Σ weight · loss / batch size plus the penalty (sum_over_batch_size)', async () => {
    const { fitWithSampleWeights } = (await import(pathToFileURL(join(scratch, 'mlc-fit', 'index.ts')).href)) as EmittedFitHelpers;
    const n = 12;
    const features = Array.from({ length: n }, (_, i) => [Math.sin(i), Math.cos(2 * i), (i % 5) / 5]);
    const labels = Array.from({ length: n }, (_, i) => i % 3);
    const weights = Float32Array.from({ length: n }, (_, i) => i % 2);
    const model = mod.buildModel();
    mod.compileModel(model);
    const x = tf.tensor2d(features);
    const y = tf.tensor2d(labels, [n, 1]);
    // The loss the first batch reports is the one taken before its step: from the initial weights.
    const probabilities = (model.predict(x) as tf.Tensor).arraySync() as number[][];
    const crossEntropy = labels.map((label, i) => -Math.log(probabilities[i][label]));
    const kernel = model.getWeights()[0].arraySync() as number[][];
    const penalty = 0.01 * kernel.flat().reduce((s, k) => s + k * k, 0);
    const weightedSum = crossEntropy.reduce((s, l, i) => s + weights[i] * l, 0);
    let firstBatch: number | undefined;
    await fitWithSampleWeights(tf, model, x, y, weights, {
      epochs: 1, batchSize: n, shuffle: false,
      callbacks: { onBatchEnd: (batch, logs) => { if (batch === 0) firstBatch = logs?.loss; } },
    });
    assert.ok(firstBatch !== undefined);
    const expected = weightedSum / n + penalty;
    assert.ok(close(firstBatch, expected, 1e-5), `loss ${firstBatch}, Keras's ${expected}`);
    // Not the mean over the weighted rows alone (Σ w·loss / Σ w), which would be about twice as large.
    assert.ok(!close(firstBatch, weightedSum / 6 + penalty, 1e-2));
    x.dispose();
    y.dispose();
    model.dispose();
  });

  it('run as a command with --sample-weight, it trains as `mlc train --sample-weight` does on the same data and seed', async () => {
    const data = `csv:${csv('halves', (i) => (i % 2 ? 0 : 1.5))}`;
    const expected = mlcTrainLosses(join(ROOT, 'test/codegen/specs/sample-weight.model'), '--data', data, '--sample-weight', 'w');
    const { history, model } = await mod.train({ data, sampleWeight: 'w', log: () => {} });
    const losses = history.history.loss as number[];
    assert.equal(losses.length, 2);
    losses.forEach((loss, epoch) => assert.ok(close(loss, expected[epoch], 1e-5), `epoch ${epoch + 1}: ${loss} vs mlc train's ${expected[epoch]}`));
    model.dispose();
    const r = spawnSync(process.execPath, ['--import', 'tsx', modulePath, '--data', data, '--sample-weight', 'w', '-o', join(scratch, 'saved')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const printed = [...r.stdout.matchAll(/^epoch \d\/2: loss (\S+) ·/gm)].map((m) => Number(m[1]));
    assert.deepEqual(printed, expected.map((l) => Number(l.toFixed(4))), r.stdout);
    // A column the CSV lacks is the loader's error, without a stack trace.
    const missing = spawnSync(process.execPath, ['--import', 'tsx', modulePath, '--data', data, '--sample-weight', 'weight'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no column named `weight` for the sample weights/);
    assert.doesNotMatch(missing.stderr, /\n\s+at /);
  });

  it('with class weights, a schedule and callbacks: class and sample weights multiply, and the callbacks steer the weighted loop', async () => {
    // test/codegen/specs/fit-options.model with a seed: 64 rows, 3 of every 4 of class 0, 2 batches of 32 per epoch.
    const spec = join(scratch, 'fit-options-seeded.model');
    writeFileSync(spec, 'model fit_options_seeded\ninput 4\ndense 8 relu\ndense 2 softmax\n' +
      'compile loss=sparse_categorical_crossentropy optimizer=adam(lr=exponential_decay(0.01, decay_steps=2, decay_rate=0.5)) metrics=[accuracy]\n' +
      'fit epochs=6 batch=32 seed=3 callbacks=[early_stopping(monitor=loss, mode=max, patience=1, restore_best_weights=true)] class_weight=balanced\n');
    const rows = Array.from({ length: 80 }, (_, i) => {
      const c = i % 4 === 0 ? 1 : 0;
      return `${c + Math.sin(i)},${Math.cos(i)},${c * 2 - Math.sin(3 * i)},${i % 7},${(i % 3) / 2},${c}`;
    });
    const file = join(scratch, 'imbalanced.csv');
    writeFileSync(file, `a,b,c,d,w,label\n${rows.join('\n')}\n`);
    const expected = mlcTrainLosses(spec, '--data', `csv:${file}`, '--sample-weight', 'w');
    const emitted = await emitSpec(compileSpec(relative(ROOT, spec)));
    assert.match(emitted.code!, /sampleWeightsOf\(dataset\.train\)/);
    const seeded = (await import(pathToFileURL(writeEmitted(scratch, 'fit-options-seeded', emitted)).href)) as EmittedModule;
    const lines: string[] = [];
    const { history, model } = await seeded.train({ data: `csv:${file}`, sampleWeight: 'w', log: (l) => lines.push(l) });
    const losses = history.history.loss as number[];
    assert.equal(expected.length, 2, 'mlc train stops after epoch 2');
    assert.equal(losses.length, 2, lines.join('\n'));
    losses.forEach((loss, epoch) => assert.ok(close(loss, expected[epoch], 1e-5), `epoch ${epoch + 1}: ${loss} vs mlc train's ${expected[epoch]}`));
    assert.ok(lines.includes('early_stopping: restored the weights of epoch 1, the best loss'), lines.join('\n'));
    const lr = (model.optimizer as unknown as { learningRate: number }).learningRate;
    assert.ok(Math.abs(lr - 0.01 * 0.5 ** (3 / 2)) < 1e-12, `the rate of step 3: ${lr}`);
    model.dispose();
  });

  it('`mlc emit --data csv:FILE --sample-weight NAME` makes NAME the column the program trains its default data with', async () => {
    const data = `csv:${csv('default-weights', (i) => (i % 3 === 0 ? 0 : 2))}`;
    const emitted = await emitSpec(compileSpec('test/codegen/specs/sample-weight.model'), { data, sampleWeight: 'w' });
    assert.match(emitted.code!, /const DEFAULT_SAMPLE_WEIGHT = "w";/);
    const defaults = (await import(pathToFileURL(writeEmitted(scratch, 'default-weights', emitted)).href)) as EmittedModule;
    const expected = mlcTrainLosses(join(ROOT, 'test/codegen/specs/sample-weight.model'), '--data', data, '--sample-weight', 'w');
    const { history, model } = await defaults.train({ log: () => {} });
    (history.history.loss as number[]).forEach((loss, epoch) => assert.ok(close(loss, expected[epoch], 1e-5), `epoch ${epoch + 1}: ${loss} vs mlc train's ${expected[epoch]}`));
    model.dispose();
    const refused = runMlc(['emit', 'test/codegen/specs/sample-weight.model', '--sample-weight', 'w']);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /error: --sample-weight w names a column of the --data CSV file; no --data was given/);
  });

  it('`mlc emit --target pytorch --data csv:FILE --sample-weight NAME` writes the weights beside the program', () => {
    const data = `csv:${csv('torch-weights', (i) => (i % 2 ? 0 : 1.5))}`;
    const program = join(scratch, 'weighted.py');
    const r = runMlc(['emit', 'test/codegen/specs/sample-weight.model', '--target', 'pytorch', '--data', data, '--sample-weight', 'w', '-o', program]);
    assert.equal(r.status, 0, r.stderr);
    const meta = JSON.parse(readFileSync(join(scratch, 'weighted-data', 'meta.json'), 'utf8'));
    assert.deepEqual(meta.splits.train.weights, { file: 'train_weights.bin', shape: [33], dtype: 'float32' });
    const weights = new Float32Array(new Uint8Array(readFileSync(join(scratch, 'weighted-data', 'train_weights.bin'))).buffer);
    assert.deepEqual([...new Set(weights)].sort(), [0, 1.5]);
  });

  it('the PyTorch program trains with those weights as `mlc train --engine torch --sample-weight` does', { skip: skipWithoutTorch('the emitted PyTorch program with sample weights') }, () => {
    const data = `csv:${join(scratch, 'torch-weights.csv')}`;
    const expected = mlcTrainLosses(join(ROOT, 'test/codegen/specs/sample-weight.model'), '--engine', 'torch', '--data', data, '--sample-weight', 'w');
    const r = spawnSync(torchPython!.python, [join(scratch, 'weighted.py'), '--epochs', '2'], { cwd: scratch, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const printed = [...r.stdout.matchAll(/^epoch \d\/2: loss (\S+) ·/gm)].map((m) => Number(m[1]));
    assert.deepEqual(printed, expected.map((l) => Number(l.toFixed(4))), r.stdout);
  });
});
