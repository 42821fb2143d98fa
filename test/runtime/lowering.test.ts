import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { lowerNode } from '../../src/targets/tfjs/lower.js';
import { lowerCompile } from '../../src/runtime/compile-config.js';

describe('layer lowerings', () => {
  it('lowers conv2d to a plain-data tfjs config with camelCase names', () => {
    const spec = lowerNode({
      kind: 'conv2d', kerasClass: 'Conv2D', name: 'conv2d',
      args: { filters: 32, kernel_size: [5, 5], strides: [1, 1], padding: 'valid', dilation_rate: [1, 1], activation: 'relu', use_bias: true },
    });
    assert.deepEqual(spec, {
      factory: 'conv2d',
      config: { filters: 32, kernelSize: [5, 5], strides: [1, 1], padding: 'valid', dilationRate: [1, 1], activation: 'relu', useBias: true, name: 'conv2d' },
    });
    // Data only: it survives a JSON round trip unchanged, so code generation can print it.
    assert.deepEqual(JSON.parse(JSON.stringify(spec)), spec);
  });

  it('maps Keras activation names tfjs spells differently', () => {
    const spec = lowerNode({ kind: 'dense', kerasClass: 'Dense', name: 'd', args: { units: 3, activation: 'hard_sigmoid', use_bias: true } });
    assert.equal(spec.config.activation, 'hardSigmoid');
  });

  it("spells out Keras's sigmoid recurrent activation, which tfjs does not default to", () => {
    const spec = lowerNode({ kind: 'gru', kerasClass: 'GRU', name: 'gru', args: { units: 8, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, return_sequences: false, dropout: 0, recurrent_dropout: 0, reset_after: false } });
    assert.equal(spec.config.recurrentActivation, 'sigmoid');
  });

  it('wraps the recurrent layer of bidirectional as a nested spec', () => {
    const spec = lowerNode({
      kind: 'bidirectional', kerasClass: 'Bidirectional', name: 'bidirectional',
      args: { layer: { kind: 'lstm', kerasClass: 'LSTM', name: 'lstm', args: { units: 4, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, return_sequences: false, dropout: 0, recurrent_dropout: 0 } }, merge_mode: 'sum' },
    });
    assert.equal(spec.factory, 'bidirectional');
    assert.equal(spec.config.mergeMode, 'sum');
    assert.deepEqual((spec.config.layer as { factory: string }).factory, 'lstm');
  });

  it('picks the global pooling factory from the resolved Keras class', () => {
    const node = { kind: 'globalavgpool', name: 'g', args: {} };
    assert.equal(lowerNode({ ...node, kerasClass: 'GlobalAveragePooling1D' }).factory, 'globalAveragePooling1d');
    assert.equal(lowerNode({ ...node, kerasClass: 'GlobalAveragePooling2D' }).factory, 'globalAveragePooling2d');
  });

  it('seeds initializers only when the run is seeded', () => {
    const node = { kind: 'dense', kerasClass: 'Dense', name: 'd', args: { units: 3, activation: 'linear', use_bias: true } };
    assert.equal(lowerNode(node).config.kernelInitializer, undefined);
    assert.deepEqual(lowerNode(node, { seed: 7 }).config.kernelInitializer, { className: 'GlorotUniform', config: { seed: 7 } });
  });

  it('an IR missing an argument the schema requires is an internal error with a diagnostic, not a crash', () => {
    assert.throws(
      () => lowerNode({ kind: 'dense', kerasClass: 'Dense', name: 'd', args: { units: 3, activation: 'crelu' } }),
      (e: unknown) => e instanceof DiagnosticError && e.diagnostics[0].code === 'E-INTERNAL' && /activation/.test(e.diagnostics[0].message),
    );
  });

  it('lowers optimizers with their Keras arguments in tfjs order', () => {
    const c = (name: string, args: Record<string, number | boolean>) => lowerCompile({ loss: 'mse', optimizer: { name, args }, metrics: [] }).optimizer;
    assert.deepEqual(c('sgd', { learning_rate: 0.9, momentum: 0, nesterov: false }), { factory: 'sgd', args: [0.9] });
    assert.deepEqual(c('sgd', { learning_rate: 0.1, momentum: 0.9, nesterov: true }), { factory: 'momentum', args: [0.1, 0.9, true] });
    assert.deepEqual(c('rmsprop', { learning_rate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false }), { factory: 'rmsprop', args: [0.001, 0.9, 0, 1e-7, false] });
    assert.deepEqual(c('adam', { learning_rate: 1e-4, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 }), { factory: 'adam', args: [1e-4, 0.9, 0.999, 1e-7] });
    assert.throws(() => c('adam', { amsgrad: true }), DiagnosticError);
    assert.equal(lowerCompile({ loss: 'categorical_crossentropy', optimizer: { name: 'adam', args: {} }, metrics: [] }).loss, 'categoricalCrossentropy');
  });
});
