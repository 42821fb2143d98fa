/**
 * The layer kinds beyond v1 run and train on wasm: each, in a small model
 * compiled from a spec, takes a training step whose loss and gradients match
 * the cpu backend's from the same weights, and a few epochs lower the loss.
 * The layers mlc supplies itself (ReLU with threshold / negative_slope, ELU
 * with alpha ≠ 1) are checked against Keras's formulas
 * (keras.activations.relu, keras.activations.elu).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { TfModule } from '../../src/runtime/backend/select.js';
import { compileSource } from '../../src/ir/pipeline.js';
import type { IR } from '../../src/ir/types.js';
import { buildModel, compileModel } from '../../src/runtime/model.js';
import { objectiveOf } from '../../src/runtime/objective.js';
import { train } from '../../src/runtime/train.js';
import { fromSplit } from '../../src/runtime/split-tensors.js';
import type { TF } from '../../src/runtime/tf.js';
import { assertClose, randomValues, seeded, wasmTf } from './helpers.js';

type Tensor = InstanceType<TfModule['Tensor']>;
let tf: TfModule;
before(async () => {
  tf = await wasmTf();
});

function irOf(source: string): IR {
  const r = compileSource(source, 'kind.model');
  assert.ok(r.ir && !r.diagnostics.some((d) => d.severity === 'error'), r.diagnostics.map((d) => d.message).join('; '));
  return r.ir!;
}

/** A regression model around one layer: `input SHAPE -> LAYERS -> flatten -> dense 2` (no flatten after a flat output), mse, adam. */
const around = (input: string, layers: string) =>
  irOf(`input ${input}\n${layers}\n${input.includes('x') ? 'flatten\n' : ''}dense 2\ncompile loss=mse optimizer=adam(lr=0.01)\n`);

const KINDS: [string, IR][] = [
  ['leakyrelu', around('6', 'dense 8\nleakyrelu 0.2')],
  ['prelu', around('4x4x2', 'conv 3 2\nprelu shared_axes=[1, 2]')],
  ['relu (tfjs)', around('6', 'dense 8\nrelu max_value=1')],
  ['relu (threshold, negative_slope)', around('6', 'dense 8\nrelu threshold=0.1 negative_slope=0.05 max_value=2')],
  ['softmax', around('6', 'dense 8\nsoftmax')],
  ['elu (alpha 0.5)', around('6', 'dense 8\nelu 0.5')],
  ['conv2dtranspose', around('3x3x2', 'conv2dtranspose 2 3 relu strides=2 padding=same')],
  ['conv2dtranspose valid', around('3x3x2', 'conv2dtranspose 2 2 strides=2')],
  ['conv2dtranspose output_padding', around('3x3x2', 'conv2dtranspose 2 3 relu strides=2 padding=same output_padding=1')],
  ['conv2dtranspose dilation', around('3x3x2', 'conv2dtranspose 2 3 relu dilation_rate=2')],
  ['conv1dtranspose', around('4x2', 'conv1dtranspose 3 3 relu strides=2 output_padding=1\nconv1dtranspose 2 2 dilation_rate=2')],
  ['separableconv2d', around('5x5x2', 'separableconv2d 3 3 relu padding=same depth_multiplier=2')],
  ['depthwiseconv2d', around('5x5x2', 'depthwiseconv2d 3 relu')],
  // tfjs-layers would run these through its fused convolution, whose gradient refuses dilation (mlc's Conv2D runs them unfused).
  ['conv2d dilated, linear and sigmoid', around('6x6x2', 'conv 3 2 dilation_rate=2\nconv 2 2 sigmoid dilation_rate=1x2')],
  ['separableconv2d dilated', around('7x7x2', 'separableconv2d 2 1x3 padding=same depth_multiplier=2 dilation_rate=2x1')],
  ['gru (Keras 3)', around('4x3', 'gru 4 return_sequences=true')],
  ['conv1d causal', around('8x2', 'conv1d 3 3 relu padding=causal dilation=2')],
  ['cropping2d, rescaling', around('6x6x2', 'rescaling 0.5 offset=0.1\ncropping2d [1, 0, 2, 1]\nconv 2 2')],
  ['zeropadding1d, cropping1d, upsampling1d', around('6x2', 'zeropadding1d [2, 1]\nconv1d 3 3 relu\nupsampling1d 2\ncropping1d [1, 2]')],
  ['normalization (adaptable weights, given, inverted)', around('2x3', 'normalization\nnormalization mean=0.5 variance=2\nnormalization axis=1 invert=true\ndense 4 relu')],
  // tfjs-layers normalises ranks up to 4; mlc's own layers fold a rank-5 tensor to rank 3 around the normalised axis.
  ['batchnorm, layernorm of rank 5', around('2x2x1x3', 'batchnorm\nlayernorm')],
  ['repeatvector, permute', around('3', 'dense 4\nrepeatvector 3\npermute [2, 1]\nconv1d 2 2\nflatten')],
];

/** Layers that draw random numbers while training: the cpu-vs-wasm step is compared with training off, and training must still lower the loss. */
const RANDOM_KINDS: [string, IR][] = [
  ['gaussiannoise', around('6', 'dense 8\ngaussiannoise 0.1')],
  ['gaussiandropout', around('6', 'dense 8\ngaussiandropout 0.2')],
  ['spatialdropout1d', around('5x3', 'conv1d 4 2\nspatialdropout1d 0.2')],
  ['spatialdropout2d', around('5x5x2', 'conv 3 2\nspatialdropout2d 0.2')],
  ['randomflip', around('5x5x2', 'randomflip\nconv 3 2')],
  ['randomrotation', around('5x5x2', 'conv 2 1\nrandomrotation 0.2\nconv 3 2')],
  ['randomzoom', around('5x5x2', 'conv 2 1\nrandomzoom 0.3 width_factor=0.2 fill_mode=constant fill_value=0.5\nconv 3 2')],
  ['randomtranslation', around('5x5x2', 'conv 2 1\nrandomtranslation 0.2 0.3 interpolation=nearest fill_mode=wrap\nconv 3 2')],
  ['randomcontrast', around('5x5x2', 'conv 2 1\nrandomcontrast 0.5 value_range=[-1, 1]\nconv 3 2')],
];

/** Loss and gradients of one batch in training mode on the active backend. */
function step(model: ReturnType<typeof buildModel>, x: Tensor, y: Tensor) {
  return tf.tidy(() => {
    const vars = model.trainableWeights.map((w) => (w as unknown as { read(): InstanceType<TfModule['Variable']> }).read());
    const { value, grads } = tf.variableGrads(() => tf.losses.meanSquaredError(y, model.apply(x, { training: true }) as Tensor) as Tensor & { rank: 0 }, vars);
    return { loss: value.dataSync()[0]!, grads: vars.map((v) => grads[v.name]!.dataSync().slice()) };
  });
}

function data(ir: IR, count: number, seed: number) {
  const rand = seeded(seed);
  const shape = ir.inputs[0]!.shape as number[];
  const size = shape.reduce((a, b) => a * b, 1);
  const x = randomValues(rand, count * size);
  // A learnable target: two fixed linear read-outs of the input.
  const y = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) for (let k = 0; k < size; k++) y[i * 2 + (k % 2)] += x[i * size + k] / size;
  return { x, xShape: [count, ...shape], y, yShape: [count, 2], count };
}

describe('new layer kinds on wasm', () => {
  for (const [name, ir] of KINDS) {
    it(`${name}: one step matches cpu, and a few epochs lower the loss`, async () => {
      const batch = data(ir, 4, 7);
      await tf.setBackend('cpu');
      const cpuModel = buildModel(tf as unknown as TF, ir, { seed: 1 });
      const x = () => tf.tensor(batch.x, batch.xShape);
      const y = () => tf.tensor(batch.y, batch.yShape);
      const expected = step(cpuModel, x(), y());
      const weights = cpuModel.getWeights().map((w) => ({ v: w.dataSync().slice(), s: w.shape }));
      cpuModel.dispose();

      await tf.setBackend('wasm');
      const model = buildModel(tf as unknown as TF, ir, { seed: 1 });
      model.setWeights(weights.map((w) => tf.tensor(w.v, w.s)));
      const actual = step(model, x(), y());
      assertClose([actual.loss], [expected.loss], 2e-4, `${name}: loss`);
      actual.grads.forEach((g, i) => assertClose(g, expected.grads[i]!, 2e-4, `${name}: gradient ${i}`));

      compileModel(tf as unknown as TF, model, ir);
      const { epochs } = await train({
        tf: tf as unknown as TF, model, objective: objectiveOf(tf as unknown as TF, model, ir), train: fromSplit(data(ir, 64, 3), 'float32'),
        epochs: 6, batchSize: 16, shuffle: true, seed: 2,
      });
      const losses = epochs.map((e) => e.loss);
      assert.ok(losses.every(Number.isFinite), `${name}: ${losses.join(', ')}`);
      assert.ok(losses[5]! < losses[0]!, `${name}: the loss should fall: ${losses.join(', ')}`);
      model.dispose();
    });
  }
});

describe('layers active only while training, on wasm', () => {
  for (const [name, ir] of RANDOM_KINDS) {
    it(`${name}: the identity at inference, seeded draws while training, and the loss falls`, async () => {
      await tf.setBackend('wasm');
      const batch = data(ir, 4, 7);
      const x = tf.tensor(batch.x, batch.xShape);
      const fresh = () => buildModel(tf as unknown as TF, ir, { seed: 5 });
      const [a, b] = [fresh(), fresh()];
      const layer = a.getLayer(ir.nodes.find((n) => n.kind === name)!.name);
      const inShape = ((layer.input as { shape: number[] }).shape).slice(1);
      const input = tf.tensor(randomValues(seeded(1), 4 * inShape.reduce((p, d) => p * d, 1)), [4, ...inShape]);
      assert.deepEqual(Array.from((layer.apply(input, { training: false }) as Tensor).dataSync()), Array.from(input.dataSync()), 'identity at inference');
      const trainingOut = (m: typeof a) => Array.from((m.apply(x, { training: true }) as Tensor).dataSync());
      assert.deepEqual(trainingOut(a), trainingOut(b), 'the same seed draws the same');
      assert.notDeepEqual(trainingOut(a), Array.from((a.apply(x, { training: false }) as Tensor).dataSync()), 'training changes the values');
      b.dispose();
      compileModel(tf as unknown as TF, a, ir);
      const { epochs } = await train({
        tf: tf as unknown as TF, model: a, objective: objectiveOf(tf as unknown as TF, a, ir), train: fromSplit(data(ir, 64, 3), 'float32'),
        epochs: 6, batchSize: 16, shuffle: true, seed: 2,
      });
      const losses = epochs.map((e) => e.loss);
      assert.ok(losses.every(Number.isFinite) && losses[5]! < losses[0]!, `${name}: ${losses.join(', ')}`);
      a.dispose();
    });
  }
});

describe('conv1d padding=causal', () => {
  it("pads the start only, as Keras does: output step t depends on input steps up to t, and equals a valid conv of the left-padded input", async () => {
    await tf.setBackend('wasm');
    const model = buildModel(tf as unknown as TF, irOf('input 6x1\nconv1d 1 3 padding=causal dilation=2 use_bias=false\n'));
    const kernel = [0.5, -1, 2];
    model.setWeights([tf.tensor(kernel, [3, 1, 1])]);
    const x = [1, 2, 3, 4, 5, 6];
    const out = Array.from((model.predict(tf.tensor(x, [1, 6, 1])) as Tensor).dataSync());
    // Keras: zeros of length dilation·(k − 1) = 4 in front, then y[t] = Σ_j kernel[j]·padded[t + 2j].
    const padded = [0, 0, 0, 0, ...x];
    assertClose(out, x.map((_, t) => kernel.reduce((s, k, j) => s + k * padded[t + 2 * j]!, 0)), 1e-6, 'causal conv');
    model.dispose();
  });
});

describe('conv2d with dilation_rate above 1', () => {
  it("computes what tfjs-layers' own Conv2D computes from the same weights, whatever the activation", async () => {
    await tf.setBackend('wasm');
    const rand = seeded(5);
    const x = tf.tensor(randomValues(rand, 2 * 7 * 6 * 2), [2, 7, 6, 2]);
    for (const [activation, padding, dilation] of [['linear', 'valid', [2, 2]], ['sigmoid', 'same', [1, 2]], ['tanh', 'valid', [3, 1]]] as const) {
      const model = buildModel(tf as unknown as TF, irOf(`input 7x6x2\nconv 3 2x2 ${activation} padding=${padding} dilation_rate=${dilation.join('x')}\n`));
      const weights = [tf.tensor(randomValues(rand, 2 * 2 * 2 * 3), [2, 2, 2, 3]), tf.tensor(randomValues(rand, 3), [3])];
      model.setWeights(weights);
      const stock = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [7, 6, 2], filters: 3, kernelSize: 2, activation, padding, dilationRate: [...dilation] })] });
      stock.setWeights(weights);
      const mine = (model.predict(x) as Tensor).dataSync();
      const reference = (stock.predict(x) as Tensor).dataSync();
      assertClose(mine, reference, 1e-5, `${activation} ${padding} ${dilation.join('x')}`);
      model.dispose();
      stock.dispose();
      tf.dispose(weights);
    }
    x.dispose();
  });
});

describe('batchnorm and layernorm of rank 5', () => {
  it("normalise as tfjs-layers' own layers do once the batch and the leading axes are merged (the statistics are the same)", async () => {
    await tf.setBackend('wasm');
    const rand = seeded(9);
    const x = tf.tensor(randomValues(rand, 2 * 3 * 2 * 2 * 4).map((v, i) => v * (1 + (i % 4))), [2, 3, 2, 2, 4]);
    for (const layer of ['batchnorm momentum=0.5', 'layernorm']) {
      const model = buildModel(tf as unknown as TF, irOf(`input 3x2x2x4\n${layer}\n`));
      const weights = model.getWeights().map((w, k) => tf.add(w, tf.scalar(0.1 * (k + 1))));
      model.setWeights(weights);
      const stock = layer === 'layernorm'
        ? tf.layers.layerNormalization({ inputShape: [2, 2, 4] })
        : tf.layers.batchNormalization({ inputShape: [2, 2, 4], momentum: 0.5 });
      const reference = tf.sequential({ layers: [stock] });
      reference.setWeights(weights);
      for (const training of [true, false]) {
        const mine = (model.apply(x, { training }) as Tensor).dataSync();
        const theirs = (reference.apply(tf.reshape(x, [6, 2, 2, 4]), { training }) as Tensor).dataSync();
        assertClose(mine, theirs, 1e-5, `${layer}, training ${training}`);
      }
      // A training pass moved the moving statistics the same way.
      assertClose(Float32Array.from(model.getWeights().flatMap((w) => Array.from(w.dataSync()))), Float32Array.from(reference.getWeights().flatMap((w) => Array.from(w.dataSync()))), 1e-5, `${layer} weights`);
      model.dispose();
      reference.dispose();
      tf.dispose(weights);
    }
    x.dispose();
  });
});

describe('the 1-D padding, cropping and upsampling mlc supplies', () => {
  it('pad with zeros, cut steps, and repeat each step, as Keras does', async () => {
    await tf.setBackend('wasm');
    const run = (layer: string) => {
      const model = buildModel(tf as unknown as TF, irOf(`input 3x1\n${layer}\n`));
      const out = Array.from((model.predict(tf.tensor([1, 2, 3], [1, 3, 1])) as Tensor).dataSync());
      model.dispose();
      return out;
    };
    assert.deepEqual(run('zeropadding1d [2, 1]'), [0, 0, 1, 2, 3, 0]);
    assert.deepEqual(run('cropping1d [1, 0]'), [2, 3]);
    assert.deepEqual(run('upsampling1d 2'), [1, 1, 2, 2, 3, 3]);
  });
});

describe("mlc's own activation layers follow Keras's formulas", () => {
  const xs = [-3, -1, -0.2, 0, 0.05, 0.1, 0.5, 1.5, 2, 7];
  const outputs = (source: string) => {
    const model = buildModel(tf as unknown as TF, irOf(source));
    const out = Array.from((model.predict(tf.tensor(xs, [xs.length, 1])) as Tensor).dataSync());
    model.dispose();
    return out;
  };

  it('relu: max_value above, x from threshold up, negative_slope·(x − threshold) below', async () => {
    await tf.setBackend('cpu');
    const keras = (x: number) => (x >= 2 ? 2 : x >= 0.1 ? x : 0.05 * (x - 0.1));
    assertClose(outputs('input 1\nrelu max_value=2 threshold=0.1 negative_slope=0.05\n'), xs.map(keras), 1e-6, 'relu');
    const noSlope = (x: number) => (x >= 0.5 ? x : 0);
    assertClose(outputs('input 1\nrelu threshold=0.5\n'), xs.map(noSlope), 1e-6, 'relu threshold only');
  });

  it('elu: x above 0, alpha·(exp(x) − 1) below', async () => {
    await tf.setBackend('cpu');
    assertClose(outputs('input 1\nelu 0.5\n'), xs.map((x) => (x > 0 ? x : 0.5 * Math.expm1(x))), 1e-6, 'elu');
  });
});
