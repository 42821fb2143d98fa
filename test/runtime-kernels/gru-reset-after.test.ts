/**
 * mlc's GRU layer (src/runtime/custom-layers/gru.ts), which supplies Keras 3's
 * default reset_after=True GRU that tfjs-layers 4.22 refuses. Checked against
 * a direct implementation of the equations of Keras's GRUCell.call (float64,
 * below), against tfjs's own GRU for reset_after=False, for Keras's parameter
 * count, for a training step on wasm matching cpu, and for saving and loading.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { TfModule } from '../../src/runtime/backend/select.js';
import { customLayers } from '../../src/runtime/custom-layers/index.js';
import { assertClose, randomValues, seeded, wasmTf } from './helpers.js';

type Tf = TfModule;
type Tensor = InstanceType<Tf['Tensor']>;
let tf: Tf;
before(async () => {
  tf = await wasmTf();
});

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** Keras's GRUCell.call over a whole sequence, in float64: x [batch, steps, features] -> every h [batch, steps, units]. */
function kerasGru(
  x: Float32Array, [batch, steps, features]: number[], units: number,
  kernel: Float32Array, recurrent: Float32Array, bias: Float32Array, resetAfter: boolean,
): Float64Array {
  const width = 3 * units;
  const out = new Float64Array(batch * steps * units);
  for (let b = 0; b < batch; b++) {
    let h = new Float64Array(units);
    for (let t = 0; t < steps; t++) {
      const xt = (f: number) => x[(b * steps + t) * features + f];
      // matrix_x = x · kernel + input_bias
      const mx = new Float64Array(width);
      for (let j = 0; j < width; j++) {
        let s = bias[j];
        for (let f = 0; f < features; f++) s += xt(f) * kernel[f * width + j];
        mx[j] = s;
      }
      const hDot = (vec: Float64Array, col: number) => {
        let s = 0;
        for (let i = 0; i < units; i++) s += vec[i] * recurrent[i * width + col];
        return s;
      };
      const next = new Float64Array(units);
      const z = (k: number, rec: number) => sigmoid(mx[k] + rec);
      if (resetAfter) {
        // matrix_inner = h · recurrent_kernel + recurrent_bias (bias[1]); h̃ = tanh(x_h + r ⊙ inner_h)
        const inner = (col: number) => hDot(h, col) + bias[width + col];
        for (let k = 0; k < units; k++) {
          const r = sigmoid(mx[units + k] + inner(units + k));
          const zk = z(k, inner(k));
          next[k] = zk * h[k] + (1 - zk) * Math.tanh(mx[2 * units + k] + r * inner(2 * units + k));
        }
      } else {
        // h̃ = tanh(x_h + (r ⊙ h) · U_h)
        const rh = h.map((v, i) => v * sigmoid(mx[units + i] + hDot(h, units + i)));
        for (let k = 0; k < units; k++) {
          const zk = z(k, hDot(h, k));
          next[k] = zk * h[k] + (1 - zk) * Math.tanh(mx[2 * units + k] + hDot(rh, 2 * units + k));
        }
      }
      h = next;
      out.set(h, (b * steps + t) * units);
    }
  }
  return out;
}

function gruModel(units: number, inputShape: number[], config: Record<string, unknown> = {}) {
  const input = tf.input({ shape: inputShape });
  const layer = customLayers(tf).gru({ units, returnSequences: true, ...config });
  return tf.model({ inputs: input, outputs: layer.apply(input) as ReturnType<Tf['input']> });
}

describe("mlc's GRU (Keras 3)", () => {
  it('has Keras 3 weights: kernel, recurrent_kernel, bias [2, 3·units]: 3·(units·(in+units) + 2·units) parameters', async () => {
    await tf.setBackend('cpu');
    const model = gruModel(64, [10, 32]);
    assert.deepEqual(model.getWeights().map((w) => w.shape), [[32, 192], [64, 192], [2, 192]]);
    assert.equal(model.countParams(), 3 * (64 * (32 + 64) + 2 * 64));
    const old = gruModel(64, [10, 32], { resetAfter: false });
    assert.equal(old.countParams(), 3 * (64 * (32 + 64) + 64));
    model.dispose();
    old.dispose();
  });

  for (const resetAfter of [true, false]) {
    it(`computes Keras's equations (reset_after=${resetAfter}) on cpu and wasm`, async () => {
      const rand = seeded(resetAfter ? 5 : 6);
      const [batch, steps, features, units] = [2, 5, 3, 4];
      const x = randomValues(rand, batch * steps * features);
      const kernel = randomValues(rand, features * 3 * units);
      const recurrent = randomValues(rand, units * 3 * units);
      const bias = randomValues(rand, (resetAfter ? 2 : 1) * 3 * units);
      const expected = kerasGru(x, [batch, steps, features], units, kernel, recurrent, bias, resetAfter);
      for (const backend of ['cpu', 'wasm']) {
        await tf.setBackend(backend);
        const model = gruModel(units, [steps, features], { resetAfter });
        model.setWeights([tf.tensor(kernel, [features, 3 * units]), tf.tensor(recurrent, [units, 3 * units]), tf.tensor(bias, resetAfter ? [2, 3 * units] : [3 * units])]);
        const got = tf.tidy(() => (model.predict(tf.tensor(x, [batch, steps, features])) as Tensor).dataSync());
        assertClose(got, expected, 1e-5, `${backend} reset_after=${resetAfter}`);
        model.dispose();
      }
    });
  }

  it("equals tfjs's own GRU for reset_after=false (the same weights)", async () => {
    await tf.setBackend('cpu');
    const ours = gruModel(3, [4, 2], { resetAfter: false });
    const input = tf.input({ shape: [4, 2] });
    const theirs = tf.model({ inputs: input, outputs: tf.layers.gru({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid' }).apply(input) as ReturnType<Tf['input']> });
    theirs.setWeights(ours.getWeights());
    const x = tf.tensor(randomValues(seeded(9), 16), [2, 4, 2]);
    assertClose((ours.predict(x) as Tensor).dataSync(), (theirs.predict(x) as Tensor).dataSync(), 1e-6, 'outputs');
    ours.dispose();
    theirs.dispose();
  });

  it('one training step on wasm gives the gradients cpu gives', async () => {
    const rand = seeded(11);
    const x = randomValues(rand, 2 * 4 * 3);
    const y = randomValues(rand, 2 * 4 * 5);
    const step = (weights?: Tensor[]) => {
      const model = gruModel(5, [4, 3], { dropout: 0, recurrentDropout: 0 });
      if (weights) model.setWeights(weights);
      const vars = model.trainableWeights.map((w) => (w as unknown as { read(): InstanceType<Tf['Variable']> }).read());
      const result = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(
          () => tf.losses.meanSquaredError(tf.tensor(y, [2, 4, 5]), model.apply(tf.tensor(x, [2, 4, 3]), { training: true }) as Tensor) as Tensor & { rank: 0 },
          vars,
        );
        return { loss: value.dataSync()[0]!, grads: vars.map((v) => grads[v.name]!.dataSync().slice()) };
      });
      const saved = model.getWeights().map((w) => ({ v: w.dataSync().slice(), s: w.shape }));
      model.dispose();
      return { ...result, saved };
    };
    await tf.setBackend('cpu');
    const cpu = step();
    await tf.setBackend('wasm');
    const wasm = step(cpu.saved.map((w) => tf.tensor(w.v, w.s)));
    assertClose([wasm.loss], [cpu.loss], 2e-4, 'loss');
    wasm.grads.forEach((g, i) => assertClose(g, cpu.grads[i]!, 2e-4, `gradient ${i}`));
  });

  it('trains on wasm: the loss falls over a few steps, with dropout and recurrent dropout', async () => {
    await tf.setBackend('wasm');
    const model = gruModel(6, [5, 2], { dropout: 0.2, recurrentDropout: 0.2, seed: 1 });
    const out = tf.layers.dense({ units: 1 }).apply(tf.layers.globalAveragePooling1d({}).apply(model.outputs[0]!)) as ReturnType<Tf['input']>;
    const full = tf.model({ inputs: model.inputs, outputs: out });
    full.compile({ loss: 'meanSquaredError', optimizer: tf.train.adam(0.05) });
    const rand = seeded(3);
    const x = randomValues(rand, 32 * 10);
    // The target: the mean of the first feature over the sequence.
    const y = Float32Array.from({ length: 32 }, (_, i) => [0, 1, 2, 3, 4].reduce((s, t) => s + x[(i * 5 + t) * 2]!, 0) / 5);
    const history = await full.fit(tf.tensor(x, [32, 5, 2]), tf.tensor(y, [32, 1]), { epochs: 15, batchSize: 8, verbose: 0 });
    const losses = history.history.loss as number[];
    assert.ok(losses.every(Number.isFinite));
    assert.ok(losses[14]! < losses[0]! * 0.7, `loss ${losses[0]} -> ${losses[14]}`);
    full.dispose();
  });

  it('saves and loads as a registered class; Bidirectional copies it', async () => {
    await tf.setBackend('cpu');
    const input = tf.input({ shape: [4, 3] });
    const bi = tf.layers.bidirectional({ layer: customLayers(tf).gru({ units: 2 }) as never, mergeMode: 'concat' });
    const model = tf.model({ inputs: input, outputs: bi.apply(input) as ReturnType<Tf['input']> });
    assert.equal(model.countParams(), 2 * 3 * (2 * (3 + 2) + 2 * 2));
    let saved: Parameters<Parameters<Tf['io']['withSaveHandler']>[0]>[0] | undefined;
    await model.save(tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    const x = tf.tensor(randomValues(seeded(4), 24), [2, 4, 3]);
    assertClose((loaded.predict(x) as Tensor).dataSync(), (model.predict(x) as Tensor).dataSync(), 1e-6, 'loaded model');
    model.dispose();
    loaded.dispose();
  });
});
