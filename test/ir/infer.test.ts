import { test } from 'node:test';
import assert from 'node:assert/strict';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { compileSource } from '../../src/ir/pipeline.js';
import { inferModel } from '../../src/ir/infer.js';

/** What tfjs-layers itself says about a built model: per-layer output shapes and parameter counts. */
function tfjsFacts(model: tfl.LayersModel) {
  return model.layers.map((l) => ({ outputShape: l.outputShape as (number | null)[], params: l.countParams() }));
}

test('the driver accumulates what tfjs-layers builds: a CNN', async () => {
  await tf.setBackend('cpu');
  const r = compileSource('input 28x28x1\nconv 32 5x5 relu\nconv 64 5x5 relu -> maxpool 2\nflatten\ndense 128 relu\ndense 10 softmax\n', 'cnn.model');
  assert.ok(r.facts);
  const m = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 5, activation: 'relu' }),
      tfl.layers.conv2d({ filters: 64, kernelSize: 5, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 128, activation: 'relu' }),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  const expected = tfjsFacts(m);
  assert.deepEqual(r.facts.nodes.map((n) => ({ outputShape: n.outputShape, params: n.trainableParams + n.nonTrainableParams })), expected);
  assert.equal(r.facts.totalParams, m.countParams());
  assert.equal(r.facts.trainableParams, m.countParams());
  assert.equal(r.facts.paramBytes, 4 * m.countParams());
  const activations = expected.reduce((s, l) => s + l.outputShape.slice(1).reduce<number>((p, d) => p * (d as number), 1), 0);
  assert.equal(r.facts.activationBytes, 4 * activations);
  assert.deepEqual(r.facts.inputShapes, { input: [null, 28, 28, 1] });
  m.dispose();
});

test('the driver accumulates what tfjs-layers builds: batch norm (non-trainable) and a sequence model', async () => {
  await tf.setBackend('cpu');
  const r = compileSource('input 20\ndense 16\nbatchnorm\ndense 1 sigmoid\n', 'bn.model');
  const m = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [20], units: 16 }), tfl.layers.batchNormalization(), tfl.layers.dense({ units: 1, activation: 'sigmoid' })] });
  const nonTrainable = m.nonTrainableWeights.reduce((s, w) => s + (w.shape as number[]).reduce((p, d) => p * d, 1), 0);
  assert.equal(r.facts?.totalParams, m.countParams());
  assert.equal(r.facts?.nonTrainableParams, nonTrainable);
  assert.equal(r.facts?.trainableParams, m.countParams() - nonTrainable);
  m.dispose();

  const seq = compileSource('input 12 int32\nembedding 100 8\ngru 6 reset_after=false\ndense 3 softmax\n', 'seq.model');
  const s = tfl.sequential({
    layers: [tfl.layers.embedding({ inputShape: [12], inputDim: 100, outputDim: 8 }), tfl.layers.gru({ units: 6, recurrentInitializer: 'zeros' }), tfl.layers.dense({ units: 3, activation: 'softmax' })],
  });
  assert.deepEqual(seq.facts?.nodes.map((n) => n.trainableParams), s.layers.map((l) => l.countParams()));
  s.dispose();
});

test('inference goes on past an error: the failing layer and what it feeds are unknown, the rest keep their shapes', () => {
  const r = compileSource('input 4\ndense 3\ndense 5\n', 'x.model');
  const ir = structuredClone(r.ir!);
  ir.nodes[0].inputs = ['missing'];
  const out = inferModel(ir);
  assert.equal(out.diagnostics.length, 1);
  assert.deepEqual(out.facts.unknown, ['n1', 'n2']);
  assert.deepEqual(out.facts.nodes, []);
  assert.match(out.diagnostics[0].related?.[0].message ?? '', /the layer after it depends on its output/);
});

test('a broken statement leaves its dependents unknown without a second diagnostic', () => {
  const r = compileSource('input 4\ndense 3\ndense 5\n', 'x.model');
  const out = inferModel(r.ir!, new Set(['n1']));
  assert.deepEqual(out.diagnostics, []);
  assert.deepEqual(out.facts.unknown, ['n1', 'n2']);
});
