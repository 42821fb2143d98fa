/**
 * The dilated-convolution gradient mlc registers, on both backends, against a
 * reference TensorFlow.js can compute itself: a convolution with dilation d
 * equals one without dilation whose kernel has d-1 zeros between taps, so its
 * input gradient is the same and its filter gradient is the zero-stuffed
 * kernel's gradient read at the real taps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, randomInt, randomValues, seeded, wasmTf } from './helpers.js';

test('dilated conv2d gradients match the zero-stuffed kernel on cpu and wasm', async () => {
  const tf = await wasmTf();
  const rand = seeded(7);
  for (let trial = 0; trial < 8; trial++) {
    const [kh, kw] = [randomInt(rand, 1, 3), randomInt(rand, 2, 3)];
    const [dh, dw] = [randomInt(rand, 1, 3), randomInt(rand, 2, 3)];
    const [inC, outC] = [randomInt(rand, 1, 3), randomInt(rand, 1, 4)];
    const pad = rand() < 0.5 ? 'valid' : 'same';
    const xShape: [number, number, number, number] = [2, randomInt(rand, 7, 10), randomInt(rand, 7, 10), inC];
    const xValues = randomValues(rand, xShape.reduce((a, b) => a * b));
    const wValues = randomValues(rand, kh * kw * inC * outC);
    const what = `kernel ${kh}x${kw}, dilation ${dh}x${dw}, ${inC}->${outC}, ${pad}`;

    for (const backend of ['cpu', 'wasm'] as const) {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const [mine, reference] = tf.tidy(() => {
        const x = tf.tensor4d(xValues, xShape);
        const w = tf.tensor4d(wValues, [kh, kw, inC, outC]);
        // A fixed, uneven weighting of the outputs, so every output position's gradient counts.
        const loss = (y: ReturnType<typeof tf.conv2d>) => tf.sum(tf.mul(y, tf.sin(tf.range(0, y.size).reshape(y.shape))));
        const dilatedGrads = tf.grads((a, b) => loss(tf.conv2d(a as never, b as never, 1, pad, 'NHWC', [dh, dw])))([x, w]);
        // The kernel with zeros between its taps: tap (i, j) sits at (i*dh, j*dw).
        const stuffedShape: [number, number, number, number] = [(kh - 1) * dh + 1, (kw - 1) * dw + 1, inC, outC];
        const stuffedValues = new Float32Array(stuffedShape.reduce((a, b) => a * b));
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++)
            for (let c = 0; c < inC * outC; c++) stuffedValues[((i * dh * stuffedShape[1] + j * dw) * inC * outC) + c] = wValues[(i * kw + j) * inC * outC + c]!;
        const stuffed = tf.tensor4d(stuffedValues, stuffedShape);
        const plainGrads = tf.grads((a, b) => loss(tf.conv2d(a as never, b as never, 1, pad)))([x, stuffed]);
        const filterAtTaps = tf.stridedSlice(plainGrads[1]!, [0, 0, 0, 0], stuffedShape, [dh, dw, 1, 1]);
        return [
          [dilatedGrads[0]!.dataSync(), dilatedGrads[1]!.dataSync()],
          [plainGrads[0]!.dataSync(), filterAtTaps.dataSync()],
        ];
      });
      assertClose(mine[0]!, reference[0]!, 1e-4, `${what} on ${backend}: input gradient`);
      assertClose(mine[1]!, reference[1]!, 1e-4, `${what} on ${backend}: filter gradient`);
      assert.equal(tf.memory().numTensors, before, `${what} on ${backend}: no tensor kept`);
    }
  }
  await tf.setBackend('wasm');
});
