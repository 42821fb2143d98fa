/**
 * GRU with reset_after=true (Keras 3's default): TensorFlow.js cannot run it,
 * so the ONNX export is checked against Keras's GRUCell written out here
 * (keras/src/layers/rnn/gru.py: the reset gate scales the recurrent product,
 * whose bias is the second row of the (2, 3·units) bias).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ort from 'onnxruntime-web';
import { compileSource } from '../../src/ir/pipeline.js';
import type { SavedWeight } from '../../src/runtime/saved-weights.js';
import { exportOnnx } from '../../src/targets/onnx/export.js';
import { decodeModel } from '../../src/targets/onnx/proto.js';
import { seeded, TOLERANCE } from './onnx-helpers.js';

ort.env.wasm.numThreads = 1;

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const SELU = { alpha: 1.6732632423543772, scale: 1.0507009873554805 };
const selu = (v: number) => SELU.scale * (v > 0 ? v : SELU.alpha * (Math.exp(v) - 1));

/** Keras's GRU, reset_after=True, over (steps, features) of one sample; every step's state. */
function kerasGru(x: Float32Array, steps: number, features: number, units: number, w: { kernel: Float32Array; recurrent: Float32Array; bias: Float32Array }, act: (v: number) => number): number[][] {
  let h = new Array<number>(units).fill(0);
  const out: number[][] = [];
  const width = 3 * units;
  for (let t = 0; t < steps; t++) {
    const mx = Array.from({ length: width }, (_, j) => w.bias[j] + Array.from({ length: features }, (_, i) => x[t * features + i] * w.kernel[i * width + j]).reduce((a, b) => a + b, 0));
    const mi = Array.from({ length: width }, (_, j) => w.bias[width + j] + h.reduce((a, hv, i) => a + hv * w.recurrent[i * width + j], 0));
    h = h.map((hv, k) => {
      const z = sigmoid(mx[k] + mi[k]);
      const r = sigmoid(mx[units + k] + mi[units + k]);
      const hh = act(mx[2 * units + k] + r * mi[2 * units + k]);
      return z * hv + (1 - z) * hh;
    });
    out.push(h);
  }
  return out;
}

describe('ONNX export of GRU reset_after=true', () => {
  for (const [activation, fn, op] of [['tanh', Math.tanh, 'GRU'], ['selu', selu, 'Scan']] as const) {
    it(`${activation}: ONNX ${op} equals Keras's formula`, async () => {
      const steps = 5, features = 3, units = 4;
      const { ir, facts } = compileSource(`input ${steps}x${features}\ngru ${units} ${activation} return_sequences=true`, 'gru.model');
      ir!.nodes[0].args.reset_after = true;
      const rnd = seeded(9);
      const random = (n: number) => Float32Array.from({ length: n }, () => rnd() - 0.5);
      const w = { kernel: random(features * 3 * units), recurrent: random(units * 3 * units), bias: random(2 * 3 * units) };
      const weights = new Map<string, SavedWeight>([
        ['gru/kernel', { shape: [features, 3 * units], dtype: 'float32', data: w.kernel }],
        ['gru/recurrent_kernel', { shape: [units, 3 * units], dtype: 'float32', data: w.recurrent }],
        ['gru/bias', { shape: [2, 3 * units], dtype: 'float32', data: w.bias }],
      ]);
      const onnx = exportOnnx(ir!, facts!, weights);
      const gru = decodeModel(onnx).graph.node.find((n) => n.op_type === op);
      assert.ok(gru, `exported as ${op}`);
      if (op === 'GRU') assert.equal(gru.attribute.find((a) => a.name === 'linear_before_reset')?.i, 1);
      const session = await ort.InferenceSession.create(onnx);
      const n = 2;
      const x = random(n * steps * features);
      const got = (await session.run({ input_layer: new ort.Tensor('float32', x, [n, steps, features]) })).gru;
      assert.deepEqual(got.dims, [n, steps, units]);
      const data = got.data as Float32Array;
      for (let s = 0; s < n; s++) {
        const want = kerasGru(x.subarray(s * steps * features), steps, features, units, w, fn).flat();
        want.forEach((v, i) => assert.ok(Math.abs(v - data[s * steps * units + i]) <= TOLERANCE, `sample ${s} value ${i}: ${v} vs ${data[s * steps * units + i]}`));
      }
      await session.release();
    });
  }
});
