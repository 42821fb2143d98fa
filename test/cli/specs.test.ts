/**
 * The tutorial specs in specs/ against reference numbers that do not come
 * from mlc: LeNet-5's summary as Keras printed it in the tutorial (seed 004),
 * and every spec against the same model built by hand in tfjs-layers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { compileSource } from '../../src/ir/pipeline.js';
import { summaryJson } from '../../src/cli/summary-table.js';
import { customLayers } from '../../src/runtime/custom-layers/index.js';

await tf.setBackend('cpu');

function summaryOf(spec: string) {
  const file = `specs/${spec}.model`;
  const r = compileSource(readFileSync(file, 'utf8'), file);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), [], `${file} has errors`);
  assert.ok(r.ir && r.facts);
  return summaryJson(r.ir, r.facts);
}

/** Output shapes and parameter counts of a hand-built tfjs-layers model, layer by layer. */
function reference(layers: tf.layers.Layer[]) {
  const model = tf.sequential({ layers });
  const rows = model.layers.map((l) => ({ type: l.getClassName(), outputShape: l.outputShape, params: l.countParams() }));
  const total = model.countParams();
  model.dispose();
  return { rows, total };
}

function assertMatches(spec: string, layers: tf.layers.Layer[]) {
  const ours = summaryOf(spec);
  const ref = reference(layers);
  assert.deepEqual(
    ours.layers.map((l) => ({ type: l.type, outputShape: l.outputShape, params: l.params })),
    ref.rows,
  );
  assert.equal(ours.totalParams, ref.total);
}

test('LeNet-5 matches the summary Keras printed in the tutorial', () => {
  const s = summaryOf('lenet5');
  // Seed 004's net.summary(): names differ there only by Keras's global counters (conv2d_4, ...).
  assert.deepEqual(
    s.layers.map((l) => [l.type, l.outputShape, l.params]),
    [
      ['Conv2D', [null, 24, 24, 6], 156],
      ['MaxPooling2D', [null, 12, 12, 6], 0],
      ['Conv2D', [null, 8, 8, 16], 2416],
      ['MaxPooling2D', [null, 4, 4, 16], 0],
      ['Flatten', [null, 256], 0],
      ['Dense', [null, 120], 30840],
      ['Dense', [null, 84], 10164],
      ['Dense', [null, 10], 850],
    ],
  );
  assert.equal(s.totalParams, 44426);
  assert.equal(s.trainableParams, 44426);
  assert.equal(s.nonTrainableParams, 0);
  assert.deepEqual(
    s.layers.map((l) => l.name),
    ['conv2d', 'max_pooling2d', 'conv2d_1', 'max_pooling2d_1', 'flatten', 'dense', 'dense_1', 'dense_2'],
  );
});

test('the MNIST MLP matches tfjs-layers', () => {
  assertMatches('mnist-mlp', [
    tf.layers.dense({ inputShape: [784], units: 512, activation: 'relu' }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
});

test('the MNIST CNN matches tfjs-layers', () => {
  assertMatches('mnist-cnn', [
    tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 5, activation: 'relu' }),
    tf.layers.conv2d({ filters: 64, kernelSize: 5, activation: 'relu' }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 128, activation: 'relu' }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
});

test('the sentiment RNN matches tfjs-layers', () => {
  assertMatches('sentiment-rnn', [
    tf.layers.embedding({ inputShape: [null], inputDim: 1000, outputDim: 64 } as never),
    tf.layers.simpleRNN({ units: 30 }),
    tf.layers.dense({ units: 16, activation: 'relu' }),
    tf.layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
});

test('the cats-vs-dogs CNN matches tfjs-layers', () => {
  assertMatches('cats-vs-dogs', [
    tf.layers.conv2d({ inputShape: [128, 128, 3], filters: 32, kernelSize: 3, activation: 'relu' }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 96, activation: 'relu' }),
    tf.layers.dense({ units: 2, activation: 'softmax' }),
  ]);
});

test('the linear regression matches tfjs-layers', () => {
  assertMatches('linear-regression', [
    tf.layers.dense({ inputShape: [1], units: 1 }),
    tf.layers.activation({ activation: 'linear' }),
  ]);
});

test('the random 10-class classifier matches tfjs-layers', () => {
  assertMatches('random-classifier', [
    tf.layers.dense({ inputShape: [100], units: 100, activation: 'relu' }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
});

test('the convolutional autoencoder matches keras.io\'s summary (28,353 parameters) and tfjs-layers', () => {
  // keras.io/examples/vision/autoencoder: autoencoder.summary() prints 320, 9,248, 9,248, 9,248 and 289 parameters.
  assert.deepEqual(summaryOf('conv-autoencoder').layers.filter((l) => l.params > 0).map((l) => [l.type, l.params]),
    [['Conv2D', 320], ['Conv2D', 9248], ['Conv2DTranspose', 9248], ['Conv2DTranspose', 9248], ['Conv2D', 289]]);
  assertMatches('conv-autoencoder', [
    tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu', padding: 'same' }),
    tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }),
    tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', padding: 'same' }),
    tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }),
    tf.layers.conv2dTranspose({ filters: 32, kernelSize: 3, strides: 2, activation: 'relu', padding: 'same' }),
    tf.layers.conv2dTranspose({ filters: 32, kernelSize: 3, strides: 2, activation: 'relu', padding: 'same' }),
    tf.layers.conv2d({ filters: 1, kernelSize: 3, activation: 'sigmoid', padding: 'same' }),
  ]);
});

test('the Keras 3 GRU text classifier: GRU parameters by Keras 3\'s reset_after formula, the layers as mlc builds them', () => {
  const s = summaryOf('gru-text-classifier');
  // 3·(units·(in + units) + 2·units): 3·(64·192 + 128) and 3·(32·96 + 64).
  assert.deepEqual(s.layers.map((l) => l.params), [2_560_000, 37_248, 9_408, 33]);
  const gru = customLayers(tf);
  assertMatches('gru-text-classifier', [
    tf.layers.embedding({ inputShape: [null], inputDim: 20000, outputDim: 128 } as never),
    gru.gru({ units: 64, returnSequences: true, dropout: 0.2 }),
    gru.gru({ units: 32, dropout: 0.2 }),
    tf.layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
});

test('the augmented cats-vs-dogs CNN matches tfjs-layers, and its fit section has the callbacks', () => {
  assertMatches('cats-vs-dogs-augmented', [
    customLayers(tf).randomFlip({ inputShape: [128, 128, 3], mode: 'horizontal' }),
    customLayers(tf).randomRotation({ factor: 0.1 }),
    tf.layers.rescaling({ scale: 1 / 255 }),
    tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
    tf.layers.batchNormalization({}),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
    tf.layers.batchNormalization({}),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.separableConv2d({ filters: 128, kernelSize: 3, activation: 'relu' }),
    tf.layers.batchNormalization({}),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.globalAveragePooling2d({}),
    tf.layers.dropout({ rate: 0.5 }),
    tf.layers.dense({ units: 2, activation: 'softmax' }),
  ]);
  const ir = compileSource(readFileSync('specs/cats-vs-dogs-augmented.model', 'utf8'), 'x.model').ir!;
  assert.deepEqual(ir.fit!.callbacks!.map((c) => c.name), ['early_stopping', 'model_checkpoint', 'reduce_lr_on_plateau']);
});

test('every spec carries its compile and fit sections', () => {
  for (const spec of ['mnist-mlp', 'mnist-cnn', 'lenet5', 'sentiment-rnn', 'cats-vs-dogs', 'linear-regression', 'random-classifier', 'conv-autoencoder', 'gru-text-classifier', 'cats-vs-dogs-augmented']) {
    const file = `specs/${spec}.model`;
    const r = compileSource(readFileSync(file, 'utf8'), file);
    assert.ok(r.ir?.compile, `${spec} has a compile section`);
    assert.ok(r.ir?.fit, `${spec} has a fit section`);
  }
  const mlp = compileSource(readFileSync('specs/mnist-mlp.model', 'utf8'), 'specs/mnist-mlp.model').ir!;
  assert.equal(mlp.compile!.loss, 'categorical_crossentropy');
  assert.equal(mlp.compile!.optimizer.name, 'rmsprop');
  assert.equal(mlp.fit!.epochs, 5);
  assert.equal(mlp.fit!.batch_size, 128);
});
