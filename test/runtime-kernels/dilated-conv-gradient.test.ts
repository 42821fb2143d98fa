/**
 * The dilated-convolution gradients mlc registers, on both backends, against a
 * reference TensorFlow.js can compute itself: a convolution with dilation d
 * equals one without dilation whose kernel has d-1 zeros between taps, so its
 * input gradient is the same and its filter gradient is the zero-stuffed
 * kernel's gradient read at the real taps. Regular and depthwise convolutions
 * (depthwiseconv2d, and separableconv2d's first half) alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, randomInt, randomValues, seeded, wasmTf } from './helpers.js';

type Shape4 = [number, number, number, number];

for (const op of ['conv2d', 'depthwiseConv2d'] as const) {
  test(`dilated ${op} gradients match the zero-stuffed kernel on cpu and wasm`, async () => {
    const tf = await wasmTf();
    const rand = seeded(op === 'conv2d' ? 7 : 11);
    const convolve = (x: unknown, w: unknown, pad: 'valid' | 'same', dilations: [number, number]) =>
      op === 'conv2d'
        ? tf.conv2d(x as never, w as never, 1, pad, 'NHWC', dilations)
        : tf.depthwiseConv2d(x as never, w as never, 1, pad, 'NHWC', dilations);
    for (let trial = 0; trial < 8; trial++) {
      const [kh, kw] = [randomInt(rand, 1, 3), randomInt(rand, 2, 3)];
      // Either axis may be the dilated one (a 2x1 or 1x2 rate as well as 2x2).
      const [dh, dw] = trial % 2 === 0 ? [randomInt(rand, 1, 3), randomInt(rand, 2, 3)] : [randomInt(rand, 2, 3), 1];
      // conv2d: in -> out channels; depthwise: channels and depth multiplier.
      const [inC, outC] = [randomInt(rand, 1, 3), randomInt(rand, 1, 4)];
      const pad = rand() < 0.5 ? 'valid' : 'same';
      const xShape: Shape4 = [2, randomInt(rand, 7, 10), randomInt(rand, 7, 10), inC];
      const xValues = randomValues(rand, xShape.reduce((a, b) => a * b));
      const wValues = randomValues(rand, kh * kw * inC * outC);
      const what = `${op}: kernel ${kh}x${kw}, dilation ${dh}x${dw}, ${inC}x${outC} channels, ${pad}`;

      for (const backend of ['cpu', 'wasm'] as const) {
        await tf.setBackend(backend);
        const before = tf.memory().numTensors;
        const [mine, reference] = tf.tidy(() => {
          const x = tf.tensor4d(xValues, xShape);
          const w = tf.tensor4d(wValues, [kh, kw, inC, outC]);
          // A fixed, uneven weighting of the outputs, so every output position's gradient counts.
          const loss = (y: ReturnType<typeof tf.conv2d>) => tf.sum(tf.mul(y, tf.sin(tf.range(0, y.size).reshape(y.shape))));
          const dilatedGrads = tf.grads((a, b) => loss(convolve(a, b, pad, [dh, dw])))([x, w]);
          // The kernel with zeros between its taps: tap (i, j) sits at (i*dh, j*dw).
          const stuffedShape: Shape4 = [(kh - 1) * dh + 1, (kw - 1) * dw + 1, inC, outC];
          const stuffedValues = new Float32Array(stuffedShape.reduce((a, b) => a * b));
          for (let i = 0; i < kh; i++)
            for (let j = 0; j < kw; j++)
              for (let c = 0; c < inC * outC; c++) stuffedValues[((i * dh * stuffedShape[1] + j * dw) * inC * outC) + c] = wValues[(i * kw + j) * inC * outC + c]!;
          const stuffed = tf.tensor4d(stuffedValues, stuffedShape);
          const plainGrads = tf.grads((a, b) => loss(convolve(a, b, pad, [1, 1])))([x, stuffed]);
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
}
