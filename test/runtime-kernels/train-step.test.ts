/**
 * One training step of a tiny model of every v1 layer kind, activation, loss
 * and optimizer on the wasm backend: the loss must be finite and the
 * gradients (and updated weights) must match the cpu backend's from the same
 * weights and batch. A kernel wasm lacks fails here with "Kernel '...' not
 * registered for backend 'wasm'".
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { TfModule } from '../../src/runtime/backend/select.js';
import { assertClose, randomInt, randomValues, seeded, wasmTf } from './helpers.js';

type Tf = TfModule;
type Model = ReturnType<Tf['sequential']>;
type Tensor = InstanceType<Tf['Tensor']>;

const RTOL = 2e-4;
let tf: Tf;
before(async () => {
  tf = await wasmTf();
});

interface Batch {
  x: { values: Float32Array | Int32Array; shape: number[]; dtype: 'float32' | 'int32' };
  y: { values: Float32Array; shape: number[] };
}

/** A float batch in [-1, 1] for the model's input shape, with regression targets of its output shape. */
function batchFor(model: Model, seed: number, intInputBelow?: number): Batch {
  const rand = seeded(seed);
  const inShape = [2, ...(model.inputs[0]!.shape.slice(1) as number[])];
  const outShape = [2, ...(model.outputs[0]!.shape.slice(1) as number[])];
  const n = inShape.reduce((a, b) => a * b, 1);
  const m = outShape.reduce((a, b) => a * b, 1);
  const x =
    intInputBelow === undefined
      ? { values: randomValues(rand, n), shape: inShape, dtype: 'float32' as const }
      : { values: Int32Array.from({ length: n }, () => randomInt(rand, 0, intInputBelow - 1)), shape: inShape, dtype: 'int32' as const };
  return { x, y: { values: randomValues(rand, m), shape: outShape } };
}

/** Loss and gradients of mean squared error for one batch, in training mode, on the active backend. */
function lossAndGrads(model: Model, batch: Batch): { loss: number; grads: Float32Array[] } {
  return tf.tidy(() => {
    const x = tf.tensor(batch.x.values, batch.x.shape, batch.x.dtype);
    const y = tf.tensor(batch.y.values, batch.y.shape);
    const vars = model.trainableWeights.map((w) => (w as unknown as { read(): InstanceType<Tf['Variable']> }).read());
    const { value, grads } = tf.variableGrads(() => {
      const pred = model.apply(x, { training: true }) as Tensor;
      return tf.losses.meanSquaredError(y, pred) as InstanceType<Tf['Tensor']> & { rank: 0 };
    }, vars);
    return { loss: value.dataSync()[0]!, grads: vars.map((v) => grads[v.name]!.dataSync() as Float32Array) };
  });
}

/**
 * Builds the model on each backend with the same weights and compares one
 * step's loss and gradients, and that nothing leaked.
 */
async function checkStep(name: string, build: () => Model, intInputBelow?: number): Promise<void> {
  await tf.setBackend('cpu');
  const cpuModel = build();
  const weights = cpuModel.getWeights().map((w) => ({ values: w.dataSync().slice(), shape: w.shape }));
  const batch = batchFor(cpuModel, 7, intInputBelow);
  const expected = lossAndGrads(cpuModel, batch);
  cpuModel.dispose();

  await tf.setBackend('wasm');
  const tensorsBefore = tf.memory().numTensors;
  const wasmModel = build();
  wasmModel.setWeights(weights.map((w) => tf.tensor(w.values, w.shape)));
  const actual = lossAndGrads(wasmModel, batch);
  wasmModel.dispose();
  assert.ok(Number.isFinite(actual.loss), `${name}: loss is ${actual.loss}`);
  assertClose([actual.loss], [expected.loss], RTOL, `${name}: loss`);
  assert.equal(actual.grads.length, expected.grads.length, `${name}: gradient count`);
  actual.grads.forEach((g, i) => assertClose(g, expected.grads[i]!, RTOL, `${name}: gradient ${i} (${wasmModel.trainableWeights[i]!.name})`));
  assert.ok(tf.memory().numTensors <= tensorsBefore + weights.length, `${name}: tensors leaked on wasm`);
}

type LayerArgs = Record<string, unknown>;
/** A sequential model from (layer factory, args) pairs; the first gets inputShape. */
function seq(inputShape: number[], ...layers: [keyof Tf['layers'], LayerArgs][]): () => Model {
  return () => {
    const model = tf.sequential();
    layers.forEach(([kind, args], i) => {
      const make = tf.layers[kind] as unknown as (a: LayerArgs) => Parameters<Model['add']>[0];
      model.add(make(i === 0 ? { ...args, inputShape } : args));
    });
    return model;
  };
}

const LAYER_CASES: [string, () => Model, number?][] = [
  ['dense', seq([5], ['dense', { units: 3, activation: 'relu' }])],
  ['conv2d valid', seq([7, 7, 2], ['conv2d', { filters: 3, kernelSize: 3, activation: 'relu' }], ['flatten', {}])],
  ['conv2d same strides 2', seq([8, 7, 2], ['conv2d', { filters: 3, kernelSize: [3, 2], strides: 2, padding: 'same' }], ['flatten', {}])],
  ['conv2d no bias 5x5', seq([9, 9, 1], ['conv2d', { filters: 4, kernelSize: 5, useBias: false }], ['flatten', {}])],
  ['conv1d same strides 2', seq([9, 3], ['conv1d', { filters: 4, kernelSize: 3, strides: 2, padding: 'same' }], ['flatten', {}])],
  ['conv1d valid', seq([9, 3], ['conv1d', { filters: 2, kernelSize: 4 }], ['flatten', {}])],
  ['maxpool2d', seq([6, 6, 2], ['maxPooling2d', { poolSize: 2 }], ['flatten', {}], ['dense', { units: 2 }])],
  ['maxpool2d same strides 1', seq([5, 5, 2], ['maxPooling2d', { poolSize: 3, strides: 1, padding: 'same' }], ['flatten', {}], ['dense', { units: 2 }])],
  ['avgpool2d', seq([6, 6, 2], ['averagePooling2d', { poolSize: 2 }], ['flatten', {}], ['dense', { units: 2 }])],
  ['avgpool2d same', seq([5, 5, 2], ['averagePooling2d', { poolSize: 2, padding: 'same' }], ['flatten', {}], ['dense', { units: 2 }])],
  ['maxpool1d', seq([8, 3], ['maxPooling1d', { poolSize: 2 }], ['flatten', {}], ['dense', { units: 2 }])],
  ['avgpool1d', seq([8, 3], ['averagePooling1d', { poolSize: 2 }], ['flatten', {}], ['dense', { units: 2 }])],
  ['globalmaxpool2d', seq([4, 4, 3], ['conv2d', { filters: 2, kernelSize: 2 }], ['globalMaxPooling2d', {}])],
  ['globalavgpool2d', seq([4, 4, 3], ['conv2d', { filters: 2, kernelSize: 2 }], ['globalAveragePooling2d', {}])],
  ['globalmaxpool1d', seq([6, 3], ['conv1d', { filters: 2, kernelSize: 2 }], ['globalMaxPooling1d', {}])],
  ['globalavgpool1d', seq([6, 3], ['conv1d', { filters: 2, kernelSize: 2 }], ['globalAveragePooling1d', {}])],
  ['upsampling2d', seq([3, 3, 2], ['upSampling2d', { size: [2, 2] }], ['conv2d', { filters: 1, kernelSize: 2 }], ['flatten', {}])],
  // No bias before batchnorm: its gradient is exactly zero, so both backends give rounding noise.
  ['batchnorm', seq([4], ['dense', { units: 3, useBias: false }], ['batchNormalization', {}])],
  ['batchnorm on conv', seq([4, 4, 2], ['conv2d', { filters: 3, kernelSize: 2, useBias: false }], ['batchNormalization', {}], ['flatten', {}])],
  ['layernorm', seq([5], ['dense', { units: 4 }], ['layerNormalization', {}])],
  ['embedding', seq([4], ['embedding', { inputDim: 10, outputDim: 3 }], ['flatten', {}], ['dense', { units: 2 }]), 10],
  ['simplernn', seq([4, 3], ['simpleRNN', { units: 3 }])],
  ['lstm sequences', seq([4, 3], ['lstm', { units: 3, returnSequences: true }])],
  ['gru', seq([4, 3], ['gru', { units: 3 }])],
  ['bidirectional lstm', () => {
    const model = tf.sequential();
    model.add(tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 2 }) as never, inputShape: [4, 3], mergeMode: 'concat' }));
    return model;
  }],
  ['dropout (seeded)', seq([6], ['dense', { units: 4 }], ['dropout', { rate: 0.5, seed: 3 }], ['dense', { units: 2 }])],
  ['reshape + flatten', seq([6], ['reshape', { targetShape: [2, 3] }], ['flatten', {}], ['dense', { units: 2 }])],
];

for (const [name, build, intInputBelow] of LAYER_CASES) {
  test(`one training step on wasm matches cpu: ${name}`, () => checkStep(name, build, intInputBelow));
}

const ACTIVATIONS = ['linear', 'relu', 'elu', 'selu', 'sigmoid', 'hardSigmoid', 'tanh', 'softmax', 'softplus', 'softsign', 'swish', 'gelu', 'mish'];
test('one training step on wasm matches cpu: every activation', async () => {
  for (const activation of ACTIVATIONS) {
    await checkStep(`dense ${activation}`, seq([5], ['dense', { units: 3, activation }]));
  }
  await checkStep('relu6', seq([5], ['dense', { units: 3 }], ['reLU', { maxValue: 6 }]));
});

/** Weights after `steps` trainOnBatch calls with a compiled loss and optimizer, and the last loss. */
async function trainOn(backend: 'cpu' | 'wasm', weights: { values: Float32Array; shape: number[] }[], loss: string, optimizer: string, labels: Batch['y'] | { values: Float32Array; shape: number[] }, x: Batch['x'], steps: number) {
  await tf.setBackend(backend);
  const m = tf.sequential();
  m.add(tf.layers.reshape({ targetShape: [6, 1], inputShape: [6] }));
  m.add(tf.layers.conv1d({ filters: 2, kernelSize: 3, activation: 'relu' }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 3, activation: loss === 'binaryCrossentropy' ? 'sigmoid' : loss.includes('ategorical') ? 'softmax' : 'linear' }));
  m.setWeights(weights.map((w) => tf.tensor(w.values, w.shape)));
  m.compile({ loss, optimizer });
  const xs = tf.tensor(x.values, x.shape);
  const ys = tf.tensor(labels.values, labels.shape);
  let last = NaN;
  for (let i = 0; i < steps; i++) last = (await m.trainOnBatch(xs, ys)) as number;
  const after = m.getWeights().map((w) => w.dataSync().slice() as Float32Array);
  xs.dispose();
  ys.dispose();
  m.dispose();
  return { loss: last, weights: after };
}

test('compiled losses and the six optimizers train identically on wasm and cpu', async () => {
  await tf.setBackend('cpu');
  const probe = tf.sequential();
  probe.add(tf.layers.reshape({ targetShape: [6, 1], inputShape: [6] }));
  probe.add(tf.layers.conv1d({ filters: 2, kernelSize: 3, activation: 'relu' }));
  probe.add(tf.layers.flatten());
  probe.add(tf.layers.dense({ units: 3 }));
  const weights = probe.getWeights().map((w) => ({ values: w.dataSync().slice() as Float32Array, shape: w.shape }));
  probe.dispose();
  const rand = seeded(21);
  const x = { values: randomValues(rand, 4 * 6), shape: [4, 6], dtype: 'float32' as const };
  const regression = { values: randomValues(rand, 12), shape: [4, 3] };
  const binary = { values: Float32Array.from({ length: 12 }, () => (rand() < 0.5 ? 0 : 1)), shape: [4, 3] };
  const oneHot = { values: Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0]), shape: [4, 3] };
  const sparse = { values: Float32Array.from([0, 1, 2, 1]), shape: [4, 1] };
  const hinge = { values: Float32Array.from({ length: 12 }, () => (rand() < 0.5 ? -1 : 1)), shape: [4, 3] };
  const runs: [string, string, typeof regression][] = [
    ['meanSquaredError', 'sgd', regression],
    ['meanAbsoluteError', 'rmsprop', regression],
    ['binaryCrossentropy', 'adam', binary],
    ['categoricalCrossentropy', 'adagrad', oneHot],
    ['sparseCategoricalCrossentropy', 'adadelta', sparse],
    ['hinge', 'adamax', hinge],
  ];
  for (const [loss, optimizer, labels] of runs) {
    const expected = await trainOn('cpu', weights, loss, optimizer, labels, x, 2);
    const actual = await trainOn('wasm', weights, loss, optimizer, labels, x, 2);
    const what = `${loss} with ${optimizer}`;
    assert.ok(Number.isFinite(actual.loss), `${what}: loss ${actual.loss}`);
    assertClose([actual.loss], [expected.loss], RTOL, `${what}: loss`);
    actual.weights.forEach((w, i) => assertClose(w, expected.weights[i]!, RTOL, `${what}: weight ${i}`));
  }
});
