/**
 * Keras's sample_weight from the data (`mlc train --sample-weight NAME`): a
 * CSV column or a field of field-keyed JSON. Each weight scales its sample's
 * loss (Σ w·loss / batch size, checked against the formula in
 * fit-options.test.ts); here: weights of 1 train exactly as no weights, weights
 * of 0 give a loss of 0, class and sample weights multiply as in Keras, and the
 * weight column is never taken for a feature by train, evaluate or predict.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadFieldData } from '../../src/runtime/data/fields.js';
import { trainingWeights } from '../../src/runtime/run-train.js';
import type { MultiSplit } from '../../src/runtime/split-tensors.js';
import { skipWithoutTorch } from '../torch/helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'mlc-sample-weight-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function mlc(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const write = (name: string, text: string) => {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
};

/** 40 rows of 3 features; the class is the largest feature's index; `weight` is the given column. */
function table(weight: ((i: number) => number) | undefined): string {
  const rows = Array.from({ length: 40 }, (_, i) => {
    const f = [Math.sin(i), Math.cos(i * 1.3), Math.sin(i * 0.7 + 1)].map((v) => v.toFixed(4));
    const label = f.indexOf(String(Math.max(...f.map(Number)).toFixed(4)));
    return [...f, ...(weight ? [weight(i)] : []), label].join(',');
  });
  return `a,b,c,${weight ? 'w,' : ''}label\n${rows.join('\n')}\n`;
}

const spec = write('m.model', 'input 3\ndense 3 softmax\ncompile loss=sparse_categorical_crossentropy optimizer=sgd(lr=0.1)\nfit epochs=2 batch=8 seed=5\n');

function firstLoss(...args: string[]): number {
  const r = mlc('train', spec, '--json', ...(args.includes('torch') ? [] : ['--backend', 'cpu']), ...args);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!).epochs[0].loss;
}

describe('--sample-weight', () => {
  it('weights of 1 train exactly as no weights; weights of 0 make the loss 0', () => {
    const plain = firstLoss('--data', `csv:${write('plain.csv', table(undefined))}`);
    const ones = firstLoss('--data', `csv:${write('ones.csv', table(() => 1))}`, '--sample-weight', 'w');
    const zeros = firstLoss('--data', `csv:${write('zeros.csv', table(() => 0))}`, '--sample-weight', 'w');
    assert.ok(plain > 0.5, `an untrained classifier's loss: ${plain}`);
    assert.equal(ones, plain);
    assert.equal(zeros, 0);
  });

  it('evaluate and predict read the saved model without taking the weight column for a feature', () => {
    const data = write('halves.csv', table((i) => (i % 2 ? 0.5 : 2)));
    const dir = join(scratch, 'saved');
    const trained = mlc('train', spec, '--backend', 'cpu', '--data', `csv:${data}`, '--sample-weight', 'w', '-o', dir);
    assert.equal(trained.status, 0, trained.stderr);
    const evaluated = mlc('evaluate', dir, '--backend', 'cpu', '--json');
    assert.equal(evaluated.status, 0, evaluated.stderr);
    assert.ok(Number.isFinite(JSON.parse(evaluated.stdout.trim().split('\n').at(-1)!).scores.loss));
    const predicted = mlc('predict', dir, data, '--backend', 'cpu', '--json');
    assert.equal(predicted.status, 0, predicted.stderr);
    assert.equal(JSON.parse(predicted.stdout.trim().split('\n').at(-1)!).predictions.length, 40);
  });

  it('a missing weight column is an error naming the columns there are', () => {
    const r = mlc('train', spec, '--backend', 'cpu', '--data', `csv:${write('no-w.csv', table(undefined))}`, '--sample-weight', 'weight');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no column named `weight` for the sample weights/);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, 'no stack trace');
  });
});

describe('--sample-weight on the torch engine', { skip: skipWithoutTorch('sample weights on the torch engine') }, () => {
  it('weights of 1 train as no weights; weights of 0 make the loss 0', () => {
    const plain = firstLoss('--engine', 'torch', '--data', `csv:${write('plain-t.csv', table(undefined))}`);
    const ones = firstLoss('--engine', 'torch', '--data', `csv:${write('ones-t.csv', table(() => 1))}`, '--sample-weight', 'w');
    const zeros = firstLoss('--engine', 'torch', '--data', `csv:${write('zeros-t.csv', table(() => 0))}`, '--sample-weight', 'w');
    assert.ok(plain > 0.5, `an untrained classifier's loss: ${plain}`);
    assert.ok(Math.abs(ones - plain) < 1e-6, `${ones} = ${plain}`);
    assert.equal(zeros, 0);
  });
});

describe('sample weights in field-keyed JSON, and with class weights', () => {
  it('reads a weight field; each weight stays with its sample through the hold-out of every 5th', () => {
    const file = write('fields.json', JSON.stringify({ x: [[1], [2], [3], [4], [5], [6]], y: [0, 1, 0, 1, 0, 1], w: [1, 2, 3, 4, 5, 6] }));
    const data = loadFieldData({
      file, weightField: 'w',
      inputs: [{ name: 'x', shape: [1], dtype: 'float32' }],
      outputs: [{ name: 'y', shape: [1], labelMode: 'binary' }],
    });
    assert.deepEqual(Array.from(data.train.xs[0].values), [1, 2, 3, 4, 6]);
    assert.deepEqual(Array.from(data.train.weights!), [1, 2, 3, 4, 6]);
    assert.deepEqual(Array.from(data.test!.weights!), [5]);
    const bad = write('bad.json', JSON.stringify({ x: [[1], [2]], y: [0, 1], w: [1, 'heavy'] }));
    assert.throws(() => loadFieldData({ file: bad, weightField: 'w', inputs: [{ name: 'x', shape: [1], dtype: 'float32' }], outputs: [{ name: 'y', shape: [1], labelMode: 'binary' }] }),
      /field `w`, sample 1 is "heavy", not a sample weight/);
  });

  it('multiplies class weights by sample weights, as Keras does', () => {
    const split = (weights?: number[]): MultiSplit => ({
      xs: [], ys: [{ values: Float32Array.from([0, 1, 1, 0]), shape: [4, 1], dtype: 'float32' }], count: 4,
      ...(weights ? { weights: Float32Array.from(weights) } : {}),
    });
    assert.deepEqual(Array.from(trainingWeights({ '1': 5 }, split([1, 2, 0.5, 3]), split([1, 2, 0.5, 3]))!), [1, 10, 2.5, 3]);
    assert.deepEqual(Array.from(trainingWeights(undefined, split([1, 2, 0.5, 3]), split([1, 2, 0.5, 3]))!), [1, 2, 0.5, 3]);
    assert.deepEqual(Array.from(trainingWeights({ '1': 5 }, split(), split())!), [1, 5, 5, 1]);
    assert.equal(trainingWeights(undefined, split(), split()), undefined);
  });
});

describe('sample weights on an output of several dimensions', () => {
  it('scale every value of a sample\'s loss, as Keras broadcasts them over the loss', async () => {
    const { testTf } = await import('./helpers.js');
    const { compileSource } = await import('../../src/ir/pipeline.js');
    const { buildModel, compileModel } = await import('../../src/runtime/model.js');
    const { objectiveOf } = await import('../../src/runtime/objective.js');
    const { train } = await import('../../src/runtime/train.js');
    const tf = await testTf();
    // Per sample, the mse loss is 4 values (one per step): the weights must line up with the samples, not the steps.
    const ir = compileSource('input 4x3\ndense 3\ncompile loss=mse optimizer=sgd(lr=1e-9)', 'seq.model').ir!;
    const model = buildModel(tf, ir, { seed: 3 });
    compileModel(tf, model, ir);
    const n = 4;
    const x = Float32Array.from({ length: n * 12 }, (_, i) => Math.sin(i));
    const y = Float32Array.from({ length: n * 12 }, (_, i) => Math.cos(i));
    const weights = Float32Array.from([0, 1, 2, 3]);
    const p = (model.predict(tf.tensor3d(x, [n, 4, 3])) as ReturnType<typeof tf.tensor3d>).dataSync();
    // Keras: Σ over samples and steps of w·(mean over the 3 features of the squared error), divided by the n·4 loss values.
    let want = 0;
    for (let s = 0; s < n; s++) {
      for (let t = 0; t < 4; t++) {
        let se = 0;
        for (let f = 0; f < 3; f++) se += (p[s * 12 + t * 3 + f] - y[s * 12 + t * 3 + f]) ** 2;
        want += (weights[s] * se) / 3;
      }
    }
    want /= n * 4;
    const split = {
      xs: [{ values: x, shape: [n, 4, 3], dtype: 'float32' as const }],
      ys: [{ values: y, shape: [n, 4, 3], dtype: 'float32' as const }],
      count: n,
    };
    const { epochs } = await train({ tf, model, objective: objectiveOf(tf, model, ir), train: split, epochs: 1, batchSize: n, shuffle: false, sampleWeights: weights });
    assert.ok(Math.abs(epochs[0].loss - want) < 1e-5, `loss ${epochs[0].loss}, Keras's ${want}`);
    model.dispose();
  });
});
