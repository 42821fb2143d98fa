/**
 * `normalization`, Keras 3's Normalization
 * (keras/src/layers/preprocessing/normalization.py): its weights as Keras
 * builds them, its formula, and adapt(): the mean and population variance
 * (numpy's np.var) of each feature over the training samples, which
 * `mlc train` and the emitted train() set before the first epoch and save.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import * as tfjs from '@tensorflow/tfjs';
import { compileSource } from '../../src/ir/pipeline.js';
import type { IR } from '../../src/ir/types.js';
import { adaptNormalization } from '../../src/runtime/custom-layers/index.js';
import { buildModel } from '../../src/runtime/model.js';
import { loadModelDir } from '../../src/runtime/saved-model.js';
import { loadModelData, outputShapesOf } from '../../src/runtime/session.js';
import type { TF } from '../../src/runtime/tf.js';
import { inferLayer } from '../layers/helpers.js';
import { runCli } from '../cli/run-cli.js';
import { compileSpec, emitSpec, makeScratch, removeScratch, writeEmitted } from '../codegen/helpers.js';
import { assertClose, randomValues, seeded } from '../runtime-kernels/helpers.js';
import { testTf } from './helpers.js';
import { skipWithoutTorch } from '../torch/helpers.js';

let tf: TF;
before(async () => {
  tf = await testTf();
});

function irOf(source: string): IR {
  const r = compileSource(source, 'n.model');
  assert.ok(r.ir && !r.diagnostics.some((d) => d.severity === 'error'), r.diagnostics.map((d) => d.message).join('; '));
  return r.ir!;
}

/** Per-feature mean and population variance along `axis` of row-major values of `shape` (batch first), in float64. */
function moments(values: ArrayLike<number>, shape: number[], axis: number) {
  const features = shape[axis]!;
  const inner = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const sums = new Float64Array(features);
  const squares = new Float64Array(features);
  for (let i = 0; i < values.length; i++) {
    const f = Math.floor(i / inner) % features;
    sums[f] += values[i]!;
    squares[f] += values[i]! * values[i]!;
  }
  const n = values.length / features;
  const mean = Array.from(sums, (s) => s / n);
  return { mean, variance: Array.from(squares, (s, f) => s / n - mean[f]! * mean[f]!) };
}

describe('normalization', () => {
  it("has Keras's weights: mean, variance (per feature) and count, non-trainable, when it adapts; none when given", () => {
    const adapted = inferLayer('normalization', {}, [7, 5]);
    assert.ok(adapted.ok);
    assert.deepEqual(adapted.weights.map((w) => [w.name, w.shape, w.trainable]), [['mean', [5], false], ['variance', [5], false], ['count', [], false]]);
    assert.equal(adapted.nonTrainableParams, 2 * 5 + 1);
    assert.equal(adapted.trainableParams, 0);
    const onAxis1 = inferLayer('normalization', { axis: 1 }, [7, 5]);
    assert.ok(onAxis1.ok && onAxis1.nonTrainableParams === 2 * 7 + 1);
    const given = inferLayer('normalization', { mean: 0.5, variance: 2 }, [7, 5]);
    assert.ok(given.ok && given.nonTrainableParams === 0 && given.weights.length === 0);
    const perFeature = inferLayer('normalization', { mean: [1, 2, 3, 4, 5], variance: [1, 1, 2, 2, 3] }, [7, 5]);
    assert.ok(perFeature.ok && perFeature.nonTrainableParams === 0);
    const wrongLength = inferLayer('normalization', { mean: [1, 2], variance: [1, 1] }, [7, 5]);
    assert.ok(!wrongLength.ok);
    assert.match(wrongLength.diagnostics[0]!.message, /mean has 2 values, but axis -1 has 5 features/);
    const half = inferLayer('normalization', { mean: 0.5 }, [7, 5]);
    assert.ok(!half.ok);
    assert.match(half.diagnostics[0]!.message, /both mean and variance, or neither; variance is missing/);
  });

  it('given mean and variance: (x − mean) / √variance, and its inverse', () => {
    const xs = [-3, 0, 0.5, 2, 10];
    const run = (layer: string) => {
      const model = buildModel(tf, irOf(`input 1\n${layer}\n`));
      const out = Array.from((model.predict(tf.tensor(xs, [5, 1])) as tfjs.Tensor).dataSync());
      model.dispose();
      return out;
    };
    assertClose(run('normalization mean=0.5 variance=4'), xs.map((x) => (x - 0.5) / 2), 1e-6, 'normalise');
    assertClose(run('normalization mean=0.5 variance=4 invert=true'), xs.map((x) => x * 2 + 0.5), 1e-6, 'invert');
    const perFeature = buildModel(tf, irOf('input 2x3\nnormalization mean=[1, 2, 3] variance=[1, 4, 16]\nnormalization axis=1 mean=[0.5, -1] variance=[4, 0.25] invert=true\n'));
    const x = [[1, 2, 3], [4, 5, 6]];
    const normalised = x.map((row) => row.map((v, j) => (v - [1, 2, 3][j]!) / [1, 2, 4][j]!));
    const inverted = normalised.map((row, i) => row.map((v) => v * [2, 0.5][i]! + [0.5, -1][i]!));
    assertClose((perFeature.predict(tf.tensor([x])) as tfjs.Tensor).dataSync(), inverted.flat(), 1e-6, 'a mean and variance per feature, on either axis');
    perFeature.dispose();
    // Keras divides by max(√variance, epsilon) with epsilon = 1e-7.
    assertClose(run('normalization mean=1 variance=0'), xs.map((x) => (x - 1) / 1e-7), 1e-6, 'zero variance');
  });

  for (const [title, source, axis] of [
    ['the last axis, in batches of 8', 'input 5x4\nnormalization', 2],
    ['an inner axis', 'input 5x4\nnormalization axis=1', 1],
  ] as const) {
    it(`adapts to the mean and population variance of each feature: ${title}`, () => {
      const model = buildModel(tf, irOf(source));
      const values = randomValues(seeded(5), 37 * 20).map((v, i) => v * (1 + (i % 4)) + (i % 5));
      const x = tf.tensor(values, [37, 5, 4]);
      assert.deepEqual(adaptNormalization(tf, model, x, 8), ['normalization']);
      const [mean, variance, count] = model.getLayer('normalization').getWeights().map((w) => Array.from(w.dataSync()));
      const expected = moments(values, [37, 5, 4], axis);
      assertClose(mean!, expected.mean, 1e-5, 'mean');
      assertClose(variance!, expected.variance, 1e-5, 'variance');
      assert.deepEqual(count, [values.length / expected.mean.length]);
      // Adapted, the layer's output has mean 0 and variance 1 per feature over the data.
      const out = moments((model.predict(x) as tfjs.Tensor).dataSync(), [37, 5, 4], axis);
      assertClose(out.mean, out.mean.map(() => 0), 1e-4, 'mean after');
      assertClose(out.variance, out.variance.map(() => 1), 1e-4, 'variance after');
      model.dispose();
    });
  }

  it('adapts to what reaches it: after a layer, and after an adapted normalization', () => {
    const model = buildModel(tf, irOf('input 3\nrescaling 2 offset=1\nnormalization\nnormalization invert=true'));
    const values = randomValues(seeded(9), 50 * 3).map((v, i) => v * (i % 3) + i / 10);
    assert.deepEqual(adaptNormalization(tf, model, tf.tensor(values, [50, 3]), 16), ['normalization', 'normalization_1']);
    const [mean, variance] = model.getLayer('normalization').getWeights().map((w) => Array.from(w.dataSync()));
    const expected = moments(values.map((v) => 2 * v + 1), [50, 3], 1);
    assertClose(mean!, expected.mean, 1e-5, 'mean of the rescaled values');
    assertClose(variance!, expected.variance, 1e-5, 'variance of the rescaled values');
    // The second sees standardised values: mean 0, variance 1.
    const [mean1, variance1] = model.getLayer('normalization_1').getWeights().map((w) => Array.from(w.dataSync()));
    assertClose(mean1!, [0, 0, 0], 1e-4, 'second mean');
    assertClose(variance1!, [1, 1, 1], 1e-4, 'second variance');
    model.dispose();
  });
});

describe('normalization adapted by mlc train and by the emitted train()', () => {
  let dir: string;
  let scratch: string;
  const spec = 'input 3\nnormalization\ndense 4 relu\ndense 1\ncompile loss=mse optimizer=adam(lr=0.01)\nfit epochs=2 batch_size=16 validation_split=0.25 seed=1\n';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mlc-normalization-'));
    scratch = makeScratch();
    const rows = Array.from({ length: 80 }, (_, i) => [100 + 20 * Math.sin(i), -5 + 0.1 * Math.cos(3 * i), 10 * i]);
    writeFileSync(join(dir, 'data.csv'), `a,b,c,y\n${rows.map((r) => `${r.join(',')},${r[0]! / 100 + r[1]!}`).join('\n')}\n`);
    writeFileSync(join(dir, 'n.model'), spec);
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    removeScratch(scratch);
  });

  /** The mean and variance of the first 75% of the loader's training rows (validation_split holds out the last 25%). */
  async function expected() {
    const ir = irOf(spec);
    const data = await loadModelData(ir, outputShapesOf(ir, compileSource(spec, 'n.model').facts!), `csv:${join(dir, 'data.csv')}`);
    const count = data.train.count - Math.floor(data.train.count * 0.25);
    return { count, ...moments(data.train.xs[0]!.values.subarray(0, count * 3), [count, 3], 1) };
  }

  it('mlc train adapts to the training samples, says so, and saves the statistics with the model', async () => {
    const out = join(dir, 'saved');
    const r = runCli(['train', join(dir, 'n.model'), '--data', `csv:${join(dir, 'data.csv')}`, '-o', out, '--backend', 'cpu']);
    assert.equal(r.status, 0, r.stderr);
    const want = await expected();
    assert.match(r.stdout, new RegExp(`normalization: \`normalization\` adapted to the ${want.count} training samples`));
    const saved = await loadModelDir(tf, out);
    const [mean, variance] = saved.model.getLayer('normalization').getWeights().map((w) => Array.from(w.dataSync()));
    assertClose(mean!, want.mean, 1e-5, 'saved mean');
    assertClose(variance!, want.variance, 1e-5, 'saved variance');
    saved.model.dispose();
  });

  it('mlc train --engine torch adapts the same way', { skip: skipWithoutTorch('the torch engine\'s adapt') }, async () => {
    const out = join(dir, 'torch');
    const r = runCli(['train', join(dir, 'n.model'), '--data', `csv:${join(dir, 'data.csv')}`, '-o', out, '--engine', 'torch']);
    assert.equal(r.status, 0, r.stderr);
    const want = await expected();
    const saved = await loadModelDir(tf, out);
    const [mean, variance, count] = saved.model.getLayer('normalization').getWeights().map((w) => Array.from(w.dataSync()));
    assertClose(mean!, want.mean, 1e-5, 'torch mean');
    assertClose(variance!, want.variance, 1e-4, 'torch variance');
    assert.deepEqual(count, [want.count]);
    saved.model.dispose();
  });

  it('the emitted train() adapts the same way', async () => {
    const specFile = join(dir, 'n.model');
    const compiled = { ...compileSpec('specs/linear-regression.model'), file: specFile, source: spec, ir: irOf(spec), facts: compileSource(spec, 'n.model').facts! };
    const emitted = await emitSpec(compiled, { data: `csv:${join(dir, 'data.csv')}` });
    assert.match(emitted.code!, /adaptNormalization\(/);
    const mod = (await import(pathToFileURL(writeEmitted(scratch, 'normalized', emitted)).href)) as {
      train(o: { log?: (l: string) => void }): Promise<{ model: tfjs.LayersModel }>;
    };
    await tfjs.setBackend('cpu');
    const { model } = await mod.train({ log: () => {} });
    const want = await expected();
    const [mean, variance] = model.getLayer('normalization').getWeights().map((w) => Array.from(w.dataSync()));
    assertClose(mean!, want.mean, 1e-5, 'emitted mean');
    assertClose(variance!, want.variance, 1e-5, 'emitted variance');
    model.dispose();
  });
});
