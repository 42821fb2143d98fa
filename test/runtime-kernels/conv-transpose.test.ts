/**
 * mlc's own transposed convolutions (src/runtime/custom-layers/conv-transpose.ts)
 * against a direct implementation of what TensorFlow computes for Keras's
 * Conv2DTranspose / Conv1DTranspose: the gradient of a convolution over an
 * output of Keras's length L, i.e. y[o] = Σ x[i]·kernel[a] over o = i·stride +
 * a·dilation − before, where `before` is TensorFlow's leading pad for
 * padding=same (⌊P/2⌋, P = max((n − 1)·stride + K − L, 0)) and 0 for valid.
 * Also: without output_padding or dilation the layer equals tfjs-layers' own.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { TfModule } from '../../src/runtime/backend/select.js';
import { customLayers } from '../../src/runtime/custom-layers/index.js';
import { transposedLength } from '../../src/layers/conv-transpose.js';
import type { TF } from '../../src/runtime/tf.js';
import { assertClose, randomValues, seeded, wasmTf } from './helpers.js';

type Tensor = InstanceType<TfModule['Tensor']>;
let tf: TfModule;
before(async () => {
  tf = await wasmTf();
});

interface Axis { n: number; k: number; s: number; d: number; op: number | null }

/** TensorFlow's transposed convolution of x (h, w, c) by kernel (kh, kw, f, c), directly from the definition above. */
function reference(x: Float32Array, kernel: Float32Array, [ah, aw]: [Axis, Axis], c: number, f: number, padding: string) {
  const len = (a: Axis) => transposedLength(a.n, a.k, a.s, padding, a.op, a.d)!;
  const lead = (a: Axis) => (padding === 'same' ? Math.floor(Math.max((a.n - 1) * a.s + (a.k - 1) * a.d + 1 - len(a), 0) / 2) : 0);
  const [H, W] = [len(ah), len(aw)];
  const y = new Float32Array(H * W * f);
  for (let i = 0; i < ah.n; i++) for (let j = 0; j < aw.n; j++) for (let a = 0; a < ah.k; a++) for (let b = 0; b < aw.k; b++) {
    const oh = i * ah.s + a * ah.d - lead(ah);
    const ow = j * aw.s + b * aw.d - lead(aw);
    if (oh < 0 || oh >= H || ow < 0 || ow >= W) continue;
    for (let o = 0; o < f; o++) for (let q = 0; q < c; q++) {
      y[(oh * W + ow) * f + o] += x[(i * aw.n + j) * c + q]! * kernel[((a * aw.k + b) * f + o) * c + q]!;
    }
  }
  return { y, shape: [H, W, f] };
}

const CASES: { title: string; axes: [Axis, Axis]; padding: string }[] = [
  { title: 'valid, output_padding 1 and 0', axes: [{ n: 4, k: 3, s: 2, d: 1, op: 1 }, { n: 3, k: 3, s: 2, d: 1, op: 0 }], padding: 'valid' },
  { title: 'same, odd kernel, output_padding 0 and 1', axes: [{ n: 4, k: 3, s: 2, d: 1, op: 0 }, { n: 3, k: 3, s: 2, d: 1, op: 1 }], padding: 'same' },
  { title: 'same, even kernel, output_padding 1 and 2', axes: [{ n: 3, k: 4, s: 3, d: 1, op: 1 }, { n: 2, k: 2, s: 3, d: 1, op: 2 }], padding: 'same' },
  { title: 'valid, dilation 2 and 3', axes: [{ n: 4, k: 3, s: 1, d: 2, op: null }, { n: 3, k: 2, s: 1, d: 3, op: null }], padding: 'valid' },
  { title: 'same, dilation 2', axes: [{ n: 5, k: 3, s: 1, d: 2, op: null }, { n: 4, k: 2, s: 1, d: 2, op: null }], padding: 'same' },
];

describe("mlc's Conv2DTranspose and Conv1DTranspose", () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const c of CASES) {
      it(`${backend}: ${c.title}`, async () => {
        await tf.setBackend(backend);
        const [ah, aw] = c.axes;
        const [cin, f] = [2, 3];
        const rand = seeded(11);
        const x = randomValues(rand, ah.n * aw.n * cin);
        const kernel = randomValues(rand, ah.k * aw.k * f * cin);
        const layer = customLayers(tf as unknown as TF).conv2dTranspose({
          filters: f, kernelSize: [ah.k, aw.k], strides: [ah.s, aw.s], padding: c.padding, useBias: false,
          dilationRate: [ah.d, aw.d], outputPadding: ah.op === null ? null : [ah.op, aw.op!],
        });
        layer.build([null, ah.n, aw.n, cin]);
        layer.setWeights([tf.tensor(kernel, [ah.k, aw.k, f, cin])]);
        const expected = reference(x, kernel, c.axes, cin, f, c.padding);
        const out = layer.apply(tf.tensor(x, [1, ah.n, aw.n, cin])) as Tensor;
        assert.deepEqual(out.shape, [1, ...expected.shape], 'output shape');
        assert.deepEqual(layer.computeOutputShape([null, ah.n, aw.n, cin]), [null, ...expected.shape], 'static output shape');
        assertClose(out.dataSync(), expected.y, 1e-5, c.title);

        // The same along one axis as a Conv1DTranspose: a one-row image.
        const one = customLayers(tf as unknown as TF).conv1dTranspose({
          filters: f, kernelSize: [aw.k], strides: [aw.s], padding: c.padding, useBias: false, dilationRate: [aw.d], outputPadding: aw.op === null ? null : [aw.op],
        });
        one.build([null, aw.n, cin]);
        const kernel1 = kernel.slice(0, aw.k * f * cin);
        one.setWeights([tf.tensor(kernel1, [aw.k, f, cin])]);
        const expected1 = reference(x.slice(0, aw.n * cin), kernel1, [{ n: 1, k: 1, s: 1, d: 1, op: null }, aw], cin, f, c.padding);
        const out1 = one.apply(tf.tensor(x.slice(0, aw.n * cin), [1, aw.n, cin])) as Tensor;
        assert.deepEqual(out1.shape, [1, expected1.shape[1], f], '1-D output shape');
        assertClose(out1.dataSync(), expected1.y, 1e-5, `${c.title} (1-D)`);
      });
    }
  }

  it("without output_padding or dilation, it computes what tfjs-layers' Conv2DTranspose does", async () => {
    await tf.setBackend('wasm');
    for (const padding of ['valid', 'same']) {
      const config = { filters: 3, kernelSize: [3, 2], strides: [2, 3], padding, activation: 'relu' };
      const ours = customLayers(tf as unknown as TF).conv2dTranspose(config);
      const theirs = tf.layers.conv2dTranspose(config as Parameters<typeof tf.layers.conv2dTranspose>[0]);
      const x = tf.tensor(randomValues(seeded(3), 2 * 4 * 5 * 2), [2, 4, 5, 2]);
      theirs.apply(x);
      ours.apply(x);
      ours.setWeights(theirs.getWeights());
      const [a, b] = [ours.apply(x) as Tensor, theirs.apply(x) as Tensor];
      assert.deepEqual(a.shape, b.shape);
      assertClose(a.dataSync(), b.dataSync(), 1e-6, padding);
    }
  });
});
