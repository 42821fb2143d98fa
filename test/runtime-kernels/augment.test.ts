/**
 * mlc's image augmentation layers (src/runtime/custom-layers/augment.ts)
 * against independent references: the affine reads against tfjs's own
 * tf.image.transform (its port of TensorFlow's ImageProjectiveTransformV3,
 * which Keras's affine_transform runs), the crop's resize against
 * tf.image.resizeBilinear with half-pixel centres (tf.image.resize), and the
 * layers' draws against Keras's definitions: RandomContrast's
 * (x − mean) · factor + mean clipped to value_range, RandomCrop's one window
 * per batch (keras/src/layers/preprocessing/image_preprocessing/).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { TfModule } from '../../src/runtime/backend/select.js';
import { compileSource } from '../../src/ir/pipeline.js';
import type { IR } from '../../src/ir/types.js';
import { affineSampling, applySampling, centredWindow as runtimeWindow, type FillMode, type Interpolation } from '../../src/runtime/custom-layers/augment.js';
import { centredWindow } from '../../src/layers/randomcrop.js';
import { buildModel, compileModel } from '../../src/runtime/model.js';
import { objectiveOf } from '../../src/runtime/objective.js';
import { train } from '../../src/runtime/train.js';
import { fromSplit } from '../../src/runtime/split-tensors.js';
import type { TF } from '../../src/runtime/tf.js';
import { assertClose, randomValues, seeded, wasmTf } from './helpers.js';
import { CONTRAST, CONTRAST_IMAGES, contrasts, FACTOR_CASES, IMAGE, SIZE } from './augment-factor-cases.js';

type Tensor = InstanceType<TfModule['Tensor']>;
let tf: TfModule;
before(async () => {
  tf = await wasmTf();
});

function irOf(source: string): IR {
  const r = compileSource(source, 'aug.model');
  assert.ok(r.ir && !r.diagnostics.some((d) => d.severity === 'error'), r.diagnostics.map((d) => d.message).join('; '));
  return r.ir!;
}

describe('affine reads', () => {
  const [h, w, c] = [7, 9, 2];
  const image = () => tf.tensor(randomValues(seeded(4), h * w * c), [1, h, w, c]);
  const angle = 0.7;
  const [cx, cy] = [(w - 1) / 2, (h - 1) / 2];
  const TRANSFORMS: [string, number[]][] = [
    ['rotation', [Math.cos(angle), -Math.sin(angle), cx - cx * Math.cos(angle) + cy * Math.sin(angle), Math.sin(angle), Math.cos(angle), cy - cx * Math.sin(angle) - cy * Math.cos(angle), 0, 0]],
    ['zoom out', [1.4, 0, (w - 1) / 2 * (1 - 1.4), 0, 1.3, (h - 1) / 2 * (1 - 1.3), 0, 0]],
    ['translation far outside', [1, 0, -13.3, 0, 1, 8.6, 0, 0]],
    ['projective', [1.1, 0.2, -1, -0.1, 0.9, 2, 0.01, -0.02]],
  ];
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const [name, t] of TRANSFORMS) {
      for (const fillMode of ['reflect', 'wrap', 'constant', 'nearest'] as FillMode[]) {
        for (const interpolation of ['bilinear', 'nearest'] as Interpolation[]) {
          it(`${backend}: ${name}, ${fillMode}, ${interpolation}: what tf.image.transform reads`, async () => {
            // tfjs's cpu kernel, the reference, fills every image after the first: one image at a time.
            await tf.setBackend('cpu');
            const x = image();
            const expected = tf.image.transform(x as never, tf.tensor2d([t]), interpolation, fillMode, 0.25).dataSync();
            await tf.setBackend(backend);
            const actual = applySampling(tf as unknown as TF, image() as never, affineSampling(1, [h, w], [h, w], t, interpolation, fillMode), [h, w], 0.25).dataSync();
            assertClose(actual, expected, 1e-5, `${name} ${fillMode} ${interpolation}`);
          });
        }
      }
    }
  }
});

describe('RandomCrop', () => {
  it("the inference window is Keras's, in the layer definition and in the runtime alike", () => {
    for (const [inH, inW, height, width] of [[10, 10, 4, 4], [10, 20, 5, 5], [20, 10, 6, 3], [7, 5, 9, 2], [5, 5, 5, 5], [9, 16, 8, 8]]) {
      assert.deepEqual(runtimeWindow(inH!, inW!, height!, width!), centredWindow(inH!, inW!, height!, width!));
    }
    // Keras: crop_height = int(w·height/width) clipped to [1, h], h_start = int((h − crop_height) / 2).
    assert.deepEqual(centredWindow(10, 20, 5, 5), { top: 0, left: 5, h: 10, w: 10 });
    assert.deepEqual(centredWindow(7, 5, 9, 2), { top: 0, left: 2, h: 7, w: 1 });
  });

  it('at inference: the centred window resized as tf.image.resize does (bilinear, half-pixel centres)', async () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      await tf.setBackend(backend);
      const model = buildModel(tf as unknown as TF, irOf('input 10x20x3\nrandomcrop 4 6\n'));
      const x = tf.tensor(randomValues(seeded(2), 2 * 10 * 20 * 3), [2, 10, 20, 3]);
      const win = centredWindow(10, 20, 4, 6);
      const window = tf.slice(x, [0, win.top, win.left, 0], [2, win.h, win.w, 3]);
      const expected = tf.image.resizeBilinear(window as never, [4, 6], false, true);
      const out = model.predict(x) as Tensor;
      assert.deepEqual(out.shape, [2, 4, 6, 3]);
      assertClose(out.dataSync(), expected.dataSync(), 1e-5, `${backend} resize`);
      model.dispose();
    }
  });

  it('while training: one random window for the whole batch, the same under the same seed, and the loss falls', async () => {
    await tf.setBackend('wasm');
    const ir = irOf('input 8x8x2\nconv 2 1\nrandomcrop 5 6\nconv 3 2\nflatten\ndense 2\ncompile loss=mse optimizer=adam(lr=0.01)\n');
    const x = tf.tensor(randomValues(seeded(8), 3 * 8 * 8 * 2), [3, 8, 8, 2]);
    const crop = (seed: number) => {
      const model = buildModel(tf as unknown as TF, ir, { seed });
      const layer = model.getLayer(ir.nodes[1]!.name);
      const out = (layer.apply(x, { training: true }) as Tensor).arraySync() as number[][][][];
      model.dispose();
      return out;
    };
    const out = crop(5);
    assert.deepEqual(crop(5), out, 'the same seed crops the same');
    const image = x.arraySync() as number[][][][];
    const windows = image.map((img, b) => {
      const found: [number, number][] = [];
      for (let top = 0; top <= 3; top++) for (let left = 0; left <= 2; left++) {
        if (out[b]!.every((row, i) => row.every((px, j) => px.every((v, k) => v === img[top + i]![left + j]![k])))) found.push([top, left]);
      }
      return found;
    });
    assert.ok(windows.every((f) => f.length >= 1), 'each output is a window of its image');
    assert.ok(windows[0]!.some(([t, l]) => windows.every((f) => f.some(([t2, l2]) => t2 === t && l2 === l))), 'one window for the batch');

    const model = buildModel(tf as unknown as TF, ir, { seed: 1 });
    compileModel(tf as unknown as TF, model, ir);
    const rand = seeded(3);
    const xs = randomValues(rand, 64 * 128);
    const ys = new Float32Array(64 * 2).map((_, i) => xs[i * 7]! * 0.5);
    const { epochs } = await train({
      tf: tf as unknown as TF, model, objective: objectiveOf(tf as unknown as TF, model, ir),
      train: fromSplit({ x: xs, xShape: [64, 8, 8, 2], y: ys, yShape: [64, 2], count: 64 }, 'float32'), epochs: 6, batchSize: 16, shuffle: true, seed: 2,
    });
    const losses = epochs.map((e) => e.loss);
    assert.ok(losses.every(Number.isFinite) && losses[5]! < losses[0]!, losses.join(', '));
    model.dispose();
  });
});

describe('RandomContrast', () => {
  it("while training: (x − mean) · factor + mean per image, factor in [1 − f, 1 + f], clipped to value_range", async () => {
    await tf.setBackend('wasm');
    const model = buildModel(tf as unknown as TF, irOf('input 4x5x2\nrandomcontrast 0.5 value_range=[-2, 2]\n'), { seed: 3 });
    const x = tf.tensor(randomValues(seeded(6), 6 * 4 * 5 * 2), [6, 4, 5, 2]);
    const y = (model.layers[1]!.apply(x, { training: true }) as Tensor).arraySync() as number[][][][];
    const images = x.arraySync() as number[][][][];
    const factors = new Set<string>();
    images.forEach((img, b) => {
      for (let k = 0; k < 2; k++) {
        const values = img.flatMap((row) => row.map((px) => px[k]!));
        const mean = values.reduce((s, v) => s + v, 0) / values.length;
        // The factor, from the pixel farthest from the mean.
        const far = img.flat().reduce((best, px, i) => (Math.abs(px[k]! - mean) > Math.abs(values[best]! - mean) ? i : best), 0);
        const factor = (y[b]!.flat()[far]![k]! - mean) / (values[far]! - mean);
        assert.ok(factor >= 0.5 - 1e-5 && factor <= 1.5 + 1e-5, `factor ${factor}`);
        const expected = values.map((v) => Math.min(2, Math.max(-2, (v - mean) * factor + mean)));
        assertClose(y[b]!.flat().map((px) => px[k]!), expected, 1e-4, `image ${b} channel ${k}`);
        factors.add(factor.toFixed(4));
      }
    });
    assert.ok(factors.size > 1, 'each image draws its own factor');
    model.dispose();
  });
});

describe('factors as a pair [lower, upper], as Keras 3 takes them', () => {
  for (const c of FACTOR_CASES) {
    it(`${c.name}, as Keras's matrix gives it`, async () => {
      await tf.setBackend('wasm');
      const model = buildModel(tf as unknown as TF, irOf(`input ${SIZE}x${SIZE}x1\n${c.line}\n`), { seed: 3 });
      const y = model.layers[1]!.apply(tf.tensor(IMAGE, [1, SIZE, SIZE, 1]), { training: true }) as Tensor;
      assert.deepEqual(Array.from(y.dataSync()), c.expected);
      model.dispose();
    });
  }

  it('randomcontrast [0.1, 0.5]: every contrast within [1 − 0.1, 1 + 0.5], reaching above 1 + 0.1', async () => {
    await tf.setBackend('wasm');
    const model = buildModel(tf as unknown as TF, irOf(`input 2x2x1\n${CONTRAST.line}\n`), { seed: 3 });
    const y = model.layers[1]!.apply(tf.tensor(CONTRAST_IMAGES, [CONTRAST.batch, 2, 2, 1]), { training: true }) as Tensor;
    const drawn = contrasts(CONTRAST_IMAGES, Array.from(y.dataSync()));
    assert.ok(drawn.every((f) => f >= CONTRAST.lower - 1e-5 && f <= CONTRAST.upper + 1e-5), `contrasts ${drawn.join(', ')}`);
    assert.ok(Math.max(...drawn) > 1.3 && Math.min(...drawn) < 1, `contrasts from ${Math.min(...drawn)} to ${Math.max(...drawn)}`);
    model.dispose();
  });

  it('is refused written upper bound first, beyond the bounds or with other than two numbers, at the value, with a help line', () => {
    const errors = (line: string) => compileSource(`input 8x8x3\n${line}\n`, 'aug.model').diagnostics.filter((d) => d.severity === 'error');
    const [order] = errors('randomzoom 0.1 width_factor=[0.3, -0.2]');
    assert.equal(order!.message, 'randomzoom width_factor [0.3, -0.2] has its lower bound above its upper bound');
    assert.equal(order!.help, 'give the lower bound first: `[-0.2, 0.3]`');
    assert.equal(order!.span?.column, 29);
    const [range] = errors('randomrotation [-0.2, 1.5]');
    assert.equal(range!.message, 'randomrotation factor[1] must be <= 1; got 1.5');
    assert.equal(range!.help, 'give one number in [-1, 1], or a pair `[lower, upper]` of such numbers');
    // Keras's own bounds per layer: contrast amounts are from 0 to 1, a zoom of −1 would shrink the image to nothing.
    assert.equal(errors('randomcontrast [0.2, -0.1]')[0]!.message, 'randomcontrast factor[1] must be >= 0; got -0.1');
    assert.equal(errors('randomzoom [-1, 0]')[0]!.help, 'give one number in (-1, 1], or a pair `[lower, upper]` of such numbers');
    assert.equal(errors('randomtranslation 0.1 [0.1, 0.2, 0.3]')[0]!.help, 'give one number, or two: `[lower, upper]`');
    assert.equal(errors('randomcontrast [0.1, 0.5] value_range=[0, 1]').length, 0);
  });
});
