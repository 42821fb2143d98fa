/**
 * Keras's per-layer options on the TensorFlow.js engine: `trainable=false`
 * (counted as non-trainable by Keras's rule, frozen in training), the
 * initializers (drawn with Keras 3's formulas), the regularizers (added to
 * the loss tfjs reports, checked against the penalty computed by hand from
 * the weights), and layer names with `-`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSource } from '../../src/ir/pipeline.js';
import type { IR, ModelFacts } from '../../src/ir/types.js';
import { buildModel, compileModel } from '../../src/runtime/model.js';
import { objectiveOf } from '../../src/runtime/objective.js';
import { evaluateTensors } from '../../src/runtime/evaluate.js';
import { toTensors } from '../../src/runtime/split-tensors.js';
import { train } from '../../src/runtime/train.js';
import { loadModelDir, saveModelDir } from '../../src/runtime/saved-model.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LayersModel, TF } from '../../src/runtime/tf.js';
import { blobs, testTf } from './helpers.js';

function compiled(source: string): { ir: IR; facts: ModelFacts } {
  const r = compileSource(source, 'options.model');
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), []);
  return { ir: r.ir!, facts: r.facts! };
}

function errorsOf(source: string) {
  return compileSource(source, 'options.model').diagnostics.filter((d) => d.severity === 'error');
}

const TRAIN = '\ncompile loss=categorical_crossentropy optimizer=sgd(lr=0.5)\nfit epochs=1 batch=300\n';

async function built(source: string, seed = 4): Promise<{ tf: TF; model: LayersModel; ir: IR; facts: ModelFacts }> {
  const tf = await testTf();
  const { ir, facts } = compiled(source);
  const model = buildModel(tf, ir, { seed });
  if (ir.compile) compileModel(tf, model, ir);
  return { tf, model, ir, facts };
}

const values = (model: LayersModel, layer: string) => model.getLayer(layer).getWeights().map((w) => Array.from(w.dataSync()));
/** Σ|w| and Σw², the two terms of Keras's l1_l2 penalty. */
const l1 = (xs: number[]) => xs.reduce((s, x) => s + Math.abs(x), 0);
const l2 = (xs: number[]) => xs.reduce((s, x) => s + x * x, 0);

function stats(xs: Float32Array | number[]): { mean: number; std: number; max: number } {
  const n = xs.length;
  const mean = Array.from(xs).reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(Array.from(xs).reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return { mean, std, max: Math.max(...Array.from(xs, Math.abs)) };
}

describe('trainable=false', () => {
  it('counts a frozen layer\'s weights as non-trainable, as Keras and tfjs-layers do', async () => {
    const { model, facts } = await built('input 784\ndense 64 relu trainable=false\nbatchnorm trainable=false\nreshape 8x8\nbidirectional lstm 4 return_sequences=true trainable=false\nlstm 3 trainable=false\ndense 10 softmax');
    // Keras: a frozen layer's weights all move to "Non-trainable params" (dense 784*64+64, batchnorm 4*64, ...).
    assert.equal(facts.trainableParams, 3 * 10 + 10);
    assert.equal(facts.nonTrainableParams, 784 * 64 + 64 + 4 * 64 + 2 * 4 * (4 * (8 + 4) + 4) + 4 * 3 * (8 + 3 + 1));
    // tfjs-layers' own count of the model the runtime built.
    const count = (ws: { shape: (number | null)[] }[]) => ws.reduce((s, w) => s + w.shape.reduce<number>((p, d) => p * (d ?? 1), 1), 0);
    assert.equal(count(model.trainableWeights), facts.trainableParams);
    assert.equal(count(model.nonTrainableWeights), facts.nonTrainableParams);
    model.dispose();
  });

  it('leaves a frozen layer\'s weights unchanged by training and trains the others', async () => {
    const { tf, model, ir } = await built(`input 12\ndense 16 relu trainable=false\nreshape 4x4\nlstm 4 trainable=false\ndense 3 softmax${TRAIN}`);
    const before = ['dense', 'lstm', 'dense_1'].map((l) => values(model, l));
    await train({ tf, model, objective: objectiveOf(tf, model, ir), batchSize: 32, shuffle: false, train: blobs(96, 12, 3), epochs: 1 });
    const after = ['dense', 'lstm', 'dense_1'].map((l) => values(model, l));
    assert.deepEqual(after[0], before[0], 'the frozen dense layer changed');
    assert.deepEqual(after[1], before[1], 'the frozen lstm (whose weights belong to its cell) changed');
    assert.notDeepEqual(after[2], before[2], 'the trainable layer did not train');
    model.dispose();
  });

  it('keeps a frozen layer frozen in a model loaded from a save (resumed training), seeded layers included', async () => {
    const { tf, model, ir } = await built(`input 12\ndense 16 relu trainable=false\nbidirectional gru 2 trainable=false\ndropout 0.1\ndense 3 softmax${TRAIN}`.replace('dense 16 relu trainable=false\n', 'dense 16 relu trainable=false\nreshape 4x4\n'));
    const dir = mkdtempSync(join(tmpdir(), 'mlc-frozen-'));
    try {
      await saveModelDir(tf, model, dir, ir, { epoch: 1, epochs: 1, history: [], batchSize: 32, optimizerState: false });
      model.dispose();
      const loaded = (await loadModelDir(tf, dir)).model;
      compileModel(tf, loaded, ir);
      const before = ['dense', 'bidirectional', 'dense_1'].map((l) => values(loaded, l));
      await train({ tf, model: loaded, objective: objectiveOf(tf, loaded, ir), batchSize: 32, shuffle: false, train: blobs(96, 12, 3), epochs: 1 });
      const after = ['dense', 'bidirectional', 'dense_1'].map((l) => values(loaded, l));
      assert.deepEqual(after[0], before[0], 'the frozen dense layer changed');
      assert.deepEqual(after[1], before[1], 'the frozen bidirectional layer changed');
      assert.notDeepEqual(after[2], before[2]);
      loaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is refused where it is not a boolean, and belongs to the wrapper, not the wrapped layer', () => {
    assert.match(errorsOf('input 4\ndense 2 trainable=no')[0].message, /trainable` expects `true` or `false`/);
    const { ir } = compiled('input 5x3\nbidirectional lstm 2 trainable=false');
    assert.equal(ir.nodes[0].args.trainable, false);
    assert.equal((ir.nodes[0].args.layer as { args: Record<string, unknown> }).args.trainable, undefined);
  });
});

describe('initializers', () => {
  // Keras 3 (keras/src/initializers/random_initializers.py): VarianceScaling with
  // fan_in (or the mean of fan_in and fan_out); "normal" ones are truncated at two
  // deviations with the deviation divided by 0.87962566103423978, so the drawn
  // values have variance scale / fan.
  const cases: { name: string; std: (fanIn: number, fanOut: number) => number; truncated?: boolean }[] = [
    { name: 'he_normal', std: (i) => Math.sqrt(2 / i), truncated: true },
    { name: 'lecun_normal', std: (i) => Math.sqrt(1 / i), truncated: true },
    { name: 'glorot_normal', std: (i, o) => Math.sqrt(2 / (i + o)), truncated: true },
    { name: 'he_uniform', std: (i) => Math.sqrt(6 / i) / Math.sqrt(3) },
    { name: 'lecun_uniform', std: (i) => Math.sqrt(3 / i) / Math.sqrt(3) },
    { name: 'glorot_uniform', std: (i, o) => Math.sqrt(6 / (i + o)) / Math.sqrt(3) },
    { name: 'random_normal', std: () => 0.05 },
    { name: 'truncated_normal', std: () => 0.05 * 0.87962566103423978, truncated: true },
    { name: 'random_uniform', std: () => 0.05 / Math.sqrt(3) },
  ];
  for (const c of cases) {
    it(`${c.name}: the kernel's deviation is Keras's`, async () => {
      const { model } = await built(`input 400\ndense 300 kernel_initializer=${c.name}`);
      const kernel = model.getLayer('dense').getWeights()[0].dataSync() as Float32Array;
      const s = stats(kernel);
      const want = c.std(400, 300);
      assert.ok(Math.abs(s.std - want) / want < 0.03, `std ${s.std}, Keras's ${want}`);
      assert.ok(Math.abs(s.mean) < want * 0.02, `mean ${s.mean}`);
      if (c.truncated && c.name !== 'truncated_normal') assert.ok(s.max <= 2 * want / 0.87962566103423978 + 1e-6, `max ${s.max}`);
      model.dispose();
    });
  }

  it('zeros, ones and orthogonal on the bias, the kernel and a recurrent kernel', async () => {
    const { model } = await built('input 6x5\nlstm 4 kernel_initializer=orthogonal bias_initializer=ones recurrent_initializer=zeros\ndense 3 kernel_initializer=zeros bias_initializer=ones');
    const [kernel, recurrent, bias] = model.getLayer('lstm').getWeights();
    assert.ok(Array.from(recurrent.dataSync()).every((v) => v === 0));
    assert.ok(Array.from(bias.dataSync()).every((v) => v === 1));
    // Keras's Orthogonal on (5, 16): orthonormal rows, K Kᵀ = I.
    const k = kernel.arraySync() as number[][];
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 5; j++) {
        const dot = k[i].reduce((s, v, c) => s + v * k[j][c], 0);
        assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-5, `row ${i}·row ${j} = ${dot}`);
      }
    }
    const [dk, db] = model.getLayer('dense').getWeights();
    assert.ok(Array.from(dk.dataSync()).every((v) => v === 0));
    assert.ok(Array.from(db.dataSync()).every((v) => v === 1));
    model.dispose();
  });

  it('embeddings_initializer and a bidirectional layer\'s own initializers', async () => {
    const { model } = await built('input 7 int32\nembedding 1000 40 embeddings_initializer=ones\nbidirectional gru 3 bias_initializer=ones');
    assert.ok(Array.from(model.getLayer('embedding').getWeights()[0].dataSync()).every((v) => v === 1));
    const biases = model.getLayer('bidirectional').getWeights().filter((w) => w.shape.length === 2 && w.shape[0] === 2);
    assert.equal(biases.length, 2);
    for (const b of biases) assert.ok(Array.from(b.dataSync()).every((v) => v === 1));
    model.dispose();
  });

  it('refuses an unknown initializer at its value, with the closest name, and one on a kind without it', () => {
    const [typo] = errorsOf('input 4\ndense 2 kernel_initializer=he_normall');
    assert.match(typo.message, /kernel_initializer must be one of/);
    assert.equal(typo.help, 'did you mean `he_normal`?');
    assert.equal(typo.span?.column, 28);
    const [wrongKind] = errorsOf('input 4x4x1\nmaxpool 2 kernel_initializer=he_normal');
    assert.match(wrongKind.message, /maxpool2d has no option `kernel_initializer`/);
    assert.match(errorsOf('input 4\ndense 2 recurrent_initializer=zeros')[0].message, /dense has no option `recurrent_initializer`/);
  });
});

describe('regularizers', () => {
  const SOURCE = 'input 12\ndense 8 relu kernel_regularizer=l2(0.01) bias_regularizer=l1_l2(l1=0.02, l2=0.03) bias_initializer=random_normal\n' +
    'dense 3 softmax kernel_regularizer=l1(0.005)' + TRAIN;

  /** Keras: l1·Σ|w| + l2·Σw² per regularized weight (Keras 3's L2 has no ½), from the weights as they are. */
  function penaltyByHand(model: LayersModel): number {
    const [k1, b1] = values(model, 'dense');
    const [k2] = values(model, 'dense_1');
    const sum = (xs: number[], f: (x: number) => number) => xs.reduce((s, x) => s + f(x), 0);
    return 0.01 * sum(k1, (x) => x * x) + 0.02 * sum(b1, Math.abs) + 0.03 * sum(b1, (x) => x * x) + 0.005 * sum(k2, Math.abs);
  }

  function crossentropyByHand(tf: TF, model: LayersModel, x: Float32Array, y: Float32Array, count: number): number {
    const p = (model.predict(tf.tensor2d(x, [count, 12])) as ReturnType<TF['tensor2d']>).dataSync();
    let total = 0;
    for (let i = 0; i < count; i++) {
      for (let c = 0; c < 3; c++) if (y[i * 3 + c] === 1) total -= Math.log(Math.min(Math.max(p[i * 3 + c], 1e-7), 1 - 1e-7));
    }
    return total / count;
  }

  it('adds l1·Σ|w| + l2·Σw² to the loss evaluate reports', async () => {
    const { tf, model, ir } = await built(SOURCE);
    const data = blobs(60, 12, 3);
    const scores = await evaluateTensors(tf, model, objectiveOf(tf, model, ir), toTensors(tf, data), 16);
    const x = data.xs[0].values as Float32Array;
    const y = data.ys[0].values as Float32Array;
    const want = crossentropyByHand(tf, model, x, y, 60) + penaltyByHand(model);
    assert.ok(penaltyByHand(model) > 0.01, 'the penalty is large enough to be seen');
    assert.ok(Math.abs(scores.loss - want) < 1e-4, `loss ${scores.loss}, by hand ${want}`);
    model.dispose();
  });

  it('adds it to the training loss and its gradient: the reported loss of one full batch is the loss at the starting weights', async () => {
    const { tf, model, ir } = await built(SOURCE);
    const data = blobs(300, 12, 3);
    const want = crossentropyByHand(tf, model, data.xs[0].values as Float32Array, data.ys[0].values as Float32Array, 300) + penaltyByHand(model);
    const { epochs } = await train({ tf, model, objective: objectiveOf(tf, model, ir), batchSize: 300, shuffle: false, train: data, epochs: 1 });
    assert.ok(Math.abs(epochs[0].loss - want) < 1e-4, `loss ${epochs[0].loss}, by hand ${want}`);
    model.dispose();
  });

  it('refuses an unknown regularizer with the closest name, and bad arguments, at their place', () => {
    const [unknown] = errorsOf('input 4\ndense 2 kernel_regularizer=l22(1e-4)');
    assert.match(unknown.message, /unknown regularizer `l22`/);
    assert.match(unknown.help ?? '', /`l2`/);
    assert.equal(unknown.span?.column, 28);
    assert.match(errorsOf('input 4\ndense 2 kernel_regularizer=l2(l1=0.1)')[0].message, /`l2` has no argument `l1`/);
    assert.match(errorsOf('input 4\ndense 2 kernel_regularizer=l2(-1)')[0].message, /expects a number ≥ 0/);
    assert.match(errorsOf('input 4\ndense 2 kernel_regularizer=0.01')[0].message, /expects a regularizer like `l2\(1e-4\)`/);
    assert.match(errorsOf('input 4x4x1\nflatten kernel_regularizer=l2')[0].message, /flatten has no option `kernel_regularizer`/);
  });

  it('takes Keras\'s defaults for a bare name and for missing arguments', () => {
    const { ir } = compiled('input 4\ndense 2 kernel_regularizer=l2 bias_regularizer=l1_l2(l2=0.5)\nembedding 3 2 embeddings_regularizer=l1');
    assert.deepEqual(ir.nodes[0].args.kernel_regularizer, { l1: 0, l2: 0.01 });
    assert.deepEqual(ir.nodes[0].args.bias_regularizer, { l1: 0, l2: 0.5 });
    assert.deepEqual(ir.nodes[1].args.embeddings_regularizer, { l1: 0.01, l2: 0 });
  });
});

describe('weight options of the depthwise, separable and transposed convolutions', () => {
  it('constant initializers give their weights, each on the weight Keras names', async () => {
    const { model } = await built('input 6x6x2\n' +
      'conv2dtranspose 3 3 kernel_initializer=ones bias_initializer=ones\n' +
      'depthwiseconv2d 3 depthwise_initializer=ones bias_initializer=ones\n' +
      'separableconv2d 4 3 depthwise_initializer=zeros pointwise_initializer=ones bias_initializer=ones\n' +
      'separableconv2d 16 1 padding=same depthwise_initializer=ones name=pointwise_default\n' +
      'reshape 16x16\n' +
      'conv1dtranspose 2 3 kernel_initializer=ones bias_initializer=ones\n' +
      'reshape 6x3x2\n' +
      'conv2dtranspose 2 3 dilation_rate=2 kernel_initializer=zeros bias_initializer=ones name=dilated');
    const constant = (layer: string, want: number[]) => {
      const ws = values(model, layer);
      assert.equal(ws.length, want.length, layer);
      ws.forEach((w, i) => assert.ok(w.every((v) => v === want[i]), `${layer} weight ${i}: ${w.slice(0, 4)}..., not all ${want[i]}`));
    };
    constant('conv2d_transpose', [1, 1]);
    constant('depthwise_conv2d', [1, 1]);
    // tfjs's own SeparableConv2D would draw the pointwise kernel with the depthwise initializer (zeros).
    constant('separable_conv2d', [0, 1, 1]);
    constant('conv1d_transpose', [1, 1]);
    constant('dilated', [0, 1]);
    // Without pointwise_initializer, Keras's default, glorot_uniform: U(±sqrt(6 / (fan_in + fan_out))), not the depthwise ones.
    const pointwise = values(model, 'pointwise_default')[1]!;
    const limit = Math.sqrt(6 / (4 + 16));
    assert.ok(pointwise.every((v) => Math.abs(v) <= limit) && new Set(pointwise).size > 32, `pointwise ${pointwise.slice(0, 4)}...`);
    model.dispose();
  });

  // Keras 3's fans come from the kernel's shape (keras/src/initializers/random_initializers.py compute_fans):
  // (k..., a, b) has fan_in = a·Πk and fan_out = b·Πk, so a transposed kernel (k..., filters, in) has fan_in k·filters.
  const cases = [
    { layer: 'conv2d_transpose', line: 'input 4x4x32\nconv2dtranspose 64 3 kernel_initializer=he_normal', std: Math.sqrt(2 / (9 * 64)), truncated: true },
    { layer: 'conv1d_transpose', line: 'input 4x32\nconv1dtranspose 64 5 kernel_initializer=lecun_normal', std: Math.sqrt(1 / (5 * 64)), truncated: true },
    { layer: 'depthwise_conv2d', line: 'input 4x4x64\ndepthwiseconv2d 3 depth_multiplier=8 depthwise_initializer=he_uniform', std: Math.sqrt(2 / (9 * 64)) },
    { layer: 'separable_conv2d', line: 'input 4x4x64\nseparableconv2d 128 3 pointwise_initializer=glorot_normal', weight: 1, std: Math.sqrt(2 / (64 + 128)), truncated: true },
  ];
  for (const c of cases) {
    it(`${c.layer}: ${c.line.split(' ').pop()} draws with Keras's deviation for that kernel`, async () => {
      const { model } = await built(c.line);
      const s = stats(values(model, c.layer)[c.weight ?? 0]);
      assert.ok(Math.abs(s.std - c.std) / c.std < 0.03, `std ${s.std}, Keras's ${c.std}`);
      if (c.truncated) assert.ok(s.max <= (2 * c.std) / 0.87962566103423978 + 1e-6, `max ${s.max}`);
      model.dispose();
    });
  }

  const SOURCE = 'input 6x6x2\n' +
    'conv2dtranspose 3 3 relu kernel_regularizer=l2(0.01) bias_regularizer=l1(0.02) bias_initializer=random_normal\n' +
    'depthwiseconv2d 3 depthwise_regularizer=l1_l2(l1=0.01, l2=0.02) bias_regularizer=l2(0.1) bias_initializer=random_normal\n' +
    'separableconv2d 4 3 depthwise_regularizer=l2(0.03) pointwise_regularizer=l1(0.01) bias_regularizer=l1(0.05) bias_initializer=random_normal\n' +
    'reshape 16x4\n' +
    'conv1dtranspose 2 3 kernel_regularizer=l1_l2(l1=0.004, l2=0.006) bias_regularizer=l2(0.5) bias_initializer=random_normal\n' +
    'flatten\ndense 3 softmax' + TRAIN;

  /** Keras: l1·Σ|w| + l2·Σw² per regularized weight, in each layer's weight order. */
  function penaltyByHand(model: LayersModel): number {
    const [tk, tb] = values(model, 'conv2d_transpose');
    const [dk, db] = values(model, 'depthwise_conv2d');
    const [sd, sp, sb] = values(model, 'separable_conv2d');
    const [ck, cb] = values(model, 'conv1d_transpose');
    return 0.01 * l2(tk) + 0.02 * l1(tb) + 0.01 * l1(dk) + 0.02 * l2(dk) + 0.1 * l2(db) + 0.03 * l2(sd) + 0.01 * l1(sp) + 0.05 * l1(sb) +
      0.004 * l1(ck) + 0.006 * l2(ck) + 0.5 * l2(cb);
  }

  function images(count: number) {
    const data = blobs(count, 72, 3);
    return { ...data, xs: [{ ...data.xs[0], shape: [count, 6, 6, 2] }] };
  }

  it('adds each kernel\'s and bias\'s penalty to the loss evaluate reports', async () => {
    const { tf, model, ir } = await built(SOURCE);
    const data = images(40);
    const scores = await evaluateTensors(tf, model, objectiveOf(tf, model, ir), toTensors(tf, data), 16);
    const p = (model.predict(tf.tensor4d(data.xs[0].values as Float32Array, [40, 6, 6, 2])) as ReturnType<TF['tensor2d']>).dataSync();
    const y = data.ys[0].values as Float32Array;
    let crossentropy = 0;
    for (let i = 0; i < 40 * 3; i++) if (y[i] === 1) crossentropy -= Math.log(Math.min(Math.max(p[i], 1e-7), 1 - 1e-7)) / 40;
    const penalty = penaltyByHand(model);
    assert.ok(penalty > 0.05, `the penalty (${penalty}) is large enough to be seen`);
    assert.ok(Math.abs(scores.loss - (crossentropy + penalty)) < 1e-4, `loss ${scores.loss}, by hand ${crossentropy} + ${penalty}`);
    model.dispose();
  });

  it('keeps a depthwise regularizer a regularizer in a saved model, which loads and trains on', async () => {
    const { tf, model, ir } = await built(SOURCE);
    const data = images(40);
    const before = await evaluateTensors(tf, model, objectiveOf(tf, model, ir), toTensors(tf, data), 16);
    const dir = mkdtempSync(join(tmpdir(), 'mlc-depthwise-'));
    try {
      await saveModelDir(tf, model, dir, ir, { epoch: 1, epochs: 1, history: [], batchSize: 16, optimizerState: false });
      model.dispose();
      const loaded = (await loadModelDir(tf, dir)).model;
      compileModel(tf, loaded, ir);
      const after = await evaluateTensors(tf, loaded, objectiveOf(tf, loaded, ir), toTensors(tf, data), 16);
      assert.ok(Math.abs(after.loss - before.loss) < 1e-6, `loaded ${after.loss}, saved ${before.loss}`);
      // tfjs's own DepthwiseConv2D saves the regularizer as a constraint, and the first weight update then fails.
      const { epochs } = await train({ tf, model: loaded, objective: objectiveOf(tf, loaded, ir), batchSize: 40, shuffle: false, train: data, epochs: 1 });
      assert.ok(Number.isFinite(epochs[0].loss));
      loaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a kernel option on a kind whose kernels have other names, listing those', () => {
    const [wrong] = errorsOf('input 8x8x3\ndepthwiseconv2d 3 kernel_initializer=ones');
    assert.match(wrong.message, /depthwiseconv2d has no option `kernel_initializer`/);
    assert.match(wrong.help ?? '', /`depthwise_initializer`/);
    assert.match(errorsOf('input 8x8x3\nseparableconv2d 4 3 kernel_regularizer=l2')[0].message, /separableconv2d has no option `kernel_regularizer`/);
    assert.match(errorsOf('input 8x8x3\nconv2dtranspose 4 3 pointwise_initializer=ones')[0].message, /conv2dtranspose has no option `pointwise_initializer`/);
  });
});

describe('regularizers on recurrent layers', () => {
  // tfjs-layers registers these with the cell; the runtime hands them to the layer (custom-layers/penalties.ts).
  const SOURCE = 'input 12\nreshape 4x3\n' +
    'lstm 5 return_sequences=true kernel_regularizer=l2(0.01) recurrent_regularizer=l1(0.02) bias_regularizer=l2(0.03)\n' +
    'bidirectional simplernn 3 return_sequences=true recurrent_regularizer=l2(0.04)\n' +
    'gru 4 kernel_regularizer=l1_l2(l1=0.005, l2=0.006) bias_regularizer=l1(0.07) bias_initializer=random_normal\n' +
    'dense 3 softmax' + TRAIN;

  /** Keras: Σ over the regularized weights, by their Keras names, of l1·Σ|w| + l2·Σw². */
  function penaltyByHand(model: LayersModel): number {
    const [lk, lr, lb] = values(model, 'lstm');
    const [, fr, , , br] = values(model, 'bidirectional');
    const [gk, , gb] = values(model, 'gru');
    return 0.01 * l2(lk) + 0.02 * l1(lr) + 0.03 * l2(lb) + 0.04 * (l2(fr) + l2(br)) + 0.005 * l1(gk) + 0.006 * l2(gk) + 0.07 * l1(gb);
  }

  it('adds the penalties of lstm, both directions of bidirectional, and gru (mlc\'s own cell) to the loss', async () => {
    const { tf, model, ir } = await built(SOURCE);
    const data = blobs(40, 12, 3);
    const objective = objectiveOf(tf, model, ir);
    const withPenalty = (await evaluateTensors(tf, model, objective, toTensors(tf, data), 16)).loss;
    const p = (model.predict(tf.tensor2d(data.xs[0].values as Float32Array, [40, 12])) as ReturnType<TF['tensor2d']>).dataSync();
    const y = data.ys[0].values as Float32Array;
    let crossentropy = 0;
    for (let i = 0; i < 40 * 3; i++) if (y[i] === 1) crossentropy -= Math.log(Math.min(Math.max(p[i], 1e-7), 1 - 1e-7)) / 40;
    const penalty = penaltyByHand(model);
    assert.ok(penalty > 0.05, `the penalty (${penalty}) is large enough to be seen`);
    assert.ok(Math.abs(withPenalty - (crossentropy + penalty)) < 1e-4, `loss ${withPenalty}, by hand ${crossentropy} + ${penalty}`);

    // A saved model loaded again keeps them.
    const dir = mkdtempSync(join(tmpdir(), 'mlc-recurrent-penalty-'));
    try {
      await saveModelDir(tf, model, join(dir, 'run'), ir, { epoch: 1, epochs: 1, history: [], batchSize: 16, optimizerState: false });
      const loaded = await loadModelDir(tf, join(dir, 'run'));
      compileModel(tf, loaded.model, ir);
      const again = (await evaluateTensors(tf, loaded.model, objectiveOf(tf, loaded.model, ir), toTensors(tf, data), 16)).loss;
      assert.ok(Math.abs(again - withPenalty) < 1e-5, `loaded ${again}, built ${withPenalty}`);
      loaded.model.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    model.dispose();
  });

  it('shrinks the regularized weights in training', async () => {
    const strong = 'input 12\nreshape 4x3\nlstm 5 recurrent_regularizer=l2(0.5)\ndense 3 softmax' + TRAIN;
    const norm = async (source: string) => {
      const { tf, model, ir } = await built(source);
      await train({ tf, model, objective: objectiveOf(tf, model, ir), batchSize: 20, shuffle: false, train: blobs(100, 12, 3), epochs: 3 });
      const n = values(model, 'lstm')[1].reduce((s, x) => s + x * x, 0);
      model.dispose();
      return n;
    };
    const free = await norm(strong.replace(' recurrent_regularizer=l2(0.5)', ''));
    const held = await norm(strong);
    assert.ok(held < 0.5 * free, `Σ recurrent_kernel² with l2(0.5): ${held}, without: ${free}`);
  });
});

describe('activity_regularizer', () => {
  const SOURCE = 'input 12\ndense 8 relu activity_regularizer=l1_l2(l1=0.01, l2=0.02)\nflatten activity_regularizer=l1(0.03)\ndense 3 softmax' + TRAIN;

  it('adds Keras 3\'s l1·Σ|y| + l2·Σy² over each batch\'s outputs to the loss of that batch', async () => {
    const { tf, model, ir } = await built(SOURCE);
    const data = blobs(40, 12, 3);
    const scores = await evaluateTensors(tf, model, objectiveOf(tf, model, ir), toTensors(tf, data), 16);
    const x = data.xs[0].values as Float32Array;
    const hiddenModel = tf.model({ inputs: model.inputs, outputs: model.getLayer('dense').output as never });
    const hidden = (hiddenModel.predict(tf.tensor2d(x, [40, 12])) as ReturnType<TF['tensor2d']>).dataSync();
    const p = (model.predict(tf.tensor2d(x, [40, 12])) as ReturnType<TF['tensor2d']>).dataSync();
    const y = data.ys[0].values as Float32Array;
    let crossentropy = 0;
    for (let i = 0; i < 40 * 3; i++) if (y[i] === 1) crossentropy -= Math.log(Math.min(Math.max(p[i], 1e-7), 1 - 1e-7)) / 40;
    // Batches of 16, 16 and 8: each batch's penalty counts once per sample of that batch, as Keras's mean over batches weighs it.
    let penalty = 0;
    for (let start = 0; start < 40; start += 16) {
      const batch = Array.from(hidden.slice(start * 8, Math.min(start + 16, 40) * 8));
      const n = Math.min(16, 40 - start);
      // dense's own l1_l2 and the flatten (an identity on a flat input) l1, both on the same values.
      const perBatch = batch.reduce((s, v) => s + 0.01 * Math.abs(v) + 0.02 * v * v + 0.03 * Math.abs(v), 0);
      penalty += (perBatch * n) / 40;
    }
    assert.ok(penalty > 0.1, `the penalty (${penalty}) is large enough to be seen`);
    assert.ok(Math.abs(scores.loss - (crossentropy + penalty)) < 1e-3, `loss ${scores.loss}, by hand ${crossentropy} + ${penalty}`);
    model.dispose();
  });

  it('trains with it: a strong penalty drives the activity down', async () => {
    const activity = async (source: string) => {
      const { tf, model, ir } = await built(source);
      const data = blobs(100, 12, 3);
      await train({ tf, model, objective: objectiveOf(tf, model, ir), batchSize: 20, shuffle: false, train: data, epochs: 3 });
      const hiddenModel = tf.model({ inputs: model.inputs, outputs: model.getLayer('dense').output as never });
      const h = (hiddenModel.predict(tf.tensor2d(data.xs[0].values as Float32Array, [100, 12])) as ReturnType<TF['tensor2d']>).dataSync();
      model.dispose();
      return h.reduce((s, v) => s + Math.abs(v), 0);
    };
    const base = 'input 12\ndense 8 relu\ndense 3 softmax' + TRAIN;
    const free = await activity(base);
    const held = await activity(base.replace('dense 8 relu', 'dense 8 relu activity_regularizer=l1(0.05)'));
    assert.ok(held < 0.5 * free, `Σ|hidden| with l1(0.05): ${held}, without: ${free}`);
  });
});

describe('layer names with `-`', () => {
  it('names the layer as written, in the summary and in the tfjs model', async () => {
    const { model, facts } = await built('input 4\ndense 3 name=head-1\ndense 2 name=block1-conv-2');
    assert.deepEqual(facts.nodes.map((n) => n.name), ['head-1', 'block1-conv-2']);
    assert.deepEqual(model.layers.slice(1).map((l) => l.name), ['head-1', 'block1-conv-2']);
    model.dispose();
  });

  it('keeps `-` as subtraction everywhere else', () => {
    const { ir } = compiled('block b(filters) {\n  dense filters-1 name=x-1\n}\ninput 4\nb 5');
    assert.equal(ir.nodes[0].args.units, 4);
    assert.equal(ir.nodes[0].name, 'b_x-1');
    // With spaces it is arithmetic, as before, and no name.
    assert.match(errorsOf('input 4\ndense 3 name=head - 1')[0].message, /`head` is neither/);
  });
});
