/**
 * Keras 3's image augmentation layers that tfjs-layers lacks: RandomRotation,
 * RandomZoom, RandomTranslation, RandomContrast and RandomCrop. Like
 * ./random.ts's layers they act only while training, drawing with
 * `seed + n` on their n-th training call (so a seeded run repeats exactly),
 * and are saved under Keras's class names.
 *
 * Rotation, zoom and translation are Keras's affine transforms
 * (keras.ops.image.affine_transform, TensorFlow's ImageProjectiveTransformV3):
 * each output pixel (x, y) reads the input at ((a0·x + a1·y + a2) / k,
 * (b0·x + b1·y + b2) / k), k = c0·x + c1·y + 1, with TensorFlow's fill modes
 * (reflect, wrap, constant, nearest) and interpolation (nearest, bilinear).
 * Where each pixel reads is computed on the host; the reading is a gather
 * and a weighted sum, which have gradients on every backend (tfjs's own
 * Transform op has none, and its cpu kernel fills every image after the
 * first).
 */
import type * as tfjs from '@tensorflow/tfjs';

type TF = typeof import('@tensorflow/tfjs');
type Tensor = tfjs.Tensor;
type Shape = (number | null)[];

export type FillMode = 'reflect' | 'wrap' | 'constant' | 'nearest';
export type Interpolation = 'bilinear' | 'nearest';

export interface AugmentConfig {
  /** RandomRotation (fraction of a full turn) and RandomContrast: a number f (±f, or for contrast [1 − f, 1 + f]) or [lower, upper]. */
  factor?: number | number[];
  /** RandomZoom and RandomTranslation: fractions of the height and width, a number f (−f to f) or [lower, upper]. */
  heightFactor?: number | number[];
  widthFactor?: number | number[] | null;
  fillMode?: FillMode;
  interpolation?: Interpolation;
  fillValue?: number;
  /** RandomContrast: the range the output is clipped to. */
  valueRange?: number[];
  /** RandomCrop: the output size. */
  height?: number;
  width?: number;
  seed?: number;
  name?: string;
  trainable?: boolean;
  inputShape?: Shape;
  batchInputShape?: Shape;
  dtype?: string;
}

/** [lower, upper] of a Keras factor: f means −f to f, a pair is sorted. */
export function factorRange(factor: number | number[]): [number, number] {
  if (typeof factor === 'number') return [-Math.abs(factor), Math.abs(factor)];
  const [a, b] = factor as [number, number];
  return a <= b ? [a, b] : [b, a];
}

/** TensorFlow's map_coordinate: where a coordinate outside [0, len − 1] reads, per fill mode. */
function mapCoord(c: number, len: number, mode: FillMode): number {
  let v = c;
  if (mode === 'constant') return v;
  if (mode === 'reflect') {
    // [abcd] reflected to [dcba|abcd|dcba].
    if (v < 0) {
      if (len <= 1) v = 0;
      else {
        const sz2 = 2 * len;
        if (v < sz2) v = sz2 * Math.trunc(-v / sz2) + v;
        v = v < -len ? v + sz2 : -v - 1;
      }
    } else if (v > len - 1) {
      if (len <= 1) v = 0;
      else {
        const sz2 = 2 * len;
        v -= sz2 * Math.trunc(v / sz2);
        if (v >= len) v = sz2 - v - 1;
      }
    }
  } else if (mode === 'wrap') {
    // [abcd] wrapped to [abcd|abcd|abcd].
    if (v < 0) {
      if (len <= 1) v = 0;
      else v += len * (Math.trunc(-v / (len - 1)) + 1);
    } else if (v > len - 1) {
      if (len <= 1) v = 0;
      else v -= len * Math.trunc(v / (len - 1));
    }
  }
  return Math.min(Math.max(v, 0), len - 1);
}

/** C++'s std::round: halves away from zero. */
const roundHalfAway = (v: number) => Math.sign(v) * Math.round(Math.abs(v));

/** Where each output pixel reads: `taps` (input pixel, weight) pairs, and the weight of the fill value. */
export interface Sampling {
  taps: number;
  index: Int32Array;
  weight: Float32Array;
  fill: Float32Array;
}

/**
 * The reads of an affine transform of `batch` images from in (h, w) to out
 * (h, w); `transforms` holds 8 numbers per image (TensorFlow's layout).
 */
export function affineSampling(
  batch: number, [inH, inW]: [number, number], [outH, outW]: [number, number], transforms: ArrayLike<number>, interpolation: Interpolation, fillMode: FillMode,
): Sampling {
  const taps = interpolation === 'nearest' ? 1 : 4;
  const count = batch * outH * outW;
  const index = new Int32Array(count * taps);
  const weight = new Float32Array(count * taps);
  const fill = new Float32Array(count);
  for (let b = 0; b < batch; b++) {
    const t = Array.from({ length: 8 }, (_, i) => transforms[b * 8 + i]!);
    for (let y = 0; y < outH; y++) {
      for (let x = 0; x < outW; x++) {
        const o = (b * outH + y) * outW + x;
        const read = (k: number, r: number, c: number, w: number) => {
          if (r >= 0 && r < inH && c >= 0 && c < inW) {
            index[o * taps + k] = (b * inH + r) * inW + c;
            weight[o * taps + k] = w;
          } else fill[o]! += w;
        };
        const projection = t[6]! * x + t[7]! * y + 1;
        if (projection === 0) {
          fill[o] = 1;
          continue;
        }
        const inX = mapCoord((t[0]! * x + t[1]! * y + t[2]!) / projection, inW, fillMode);
        const inY = mapCoord((t[3]! * x + t[4]! * y + t[5]!) / projection, inH, fillMode);
        if (taps === 1) {
          read(0, roundHalfAway(inY), roundHalfAway(inX), 1);
          continue;
        }
        const [y0, x0] = [Math.floor(inY), Math.floor(inX)];
        const [dy, dx] = [inY - y0, inX - x0];
        read(0, y0, x0, (1 - dy) * (1 - dx));
        read(1, y0, x0 + 1, (1 - dy) * dx);
        read(2, y0 + 1, x0, dy * (1 - dx));
        read(3, y0 + 1, x0 + 1, dy * dx);
      }
    }
  }
  return { taps, index, weight, fill };
}

/** Applies a sampling to images (batch, h, w, c): a gather of the input pixels and their weighted sum, plus the fill value. */
export function applySampling(tf: TF, images: Tensor, s: Sampling, [outH, outW]: [number, number], fillValue: number): Tensor {
  const [batch, h, w, c] = images.shape as [number, number, number, number];
  const count = batch * outH * outW;
  const rows = tf.gather(tf.reshape(images, [batch * h * w, c]), tf.tensor1d(s.index, 'int32'));
  let out = tf.sum(tf.mul(tf.reshape(rows, [count, s.taps, c]), tf.tensor3d(s.weight, [count, s.taps, 1])), 1);
  if (fillValue !== 0) out = tf.add(out, tf.mul(tf.tensor2d(s.fill, [count, 1]), fillValue));
  return tf.reshape(out, [batch, outH, outW, c]);
}

/**
 * Keras's RandomCrop window at inference (and while training when the image is not larger than the crop): the largest
 * centred window of the crop's aspect ratio. The same rule as src/layers/randomcrop.ts's, which the ONNX export uses:
 * this folder is copied beside emitted code and imports nothing of mlc's (a test checks the two agree).
 */
export function centredWindow(inH: number, inW: number, height: number, width: number): { top: number; left: number; h: number; w: number } {
  const h = Math.max(Math.min(inH, Math.trunc((inW * height) / width)), 1);
  const w = Math.max(Math.min(inW, Math.trunc((inH * width) / height)), 1);
  return { top: Math.trunc((inH - h) / 2), left: Math.trunc((inW - w) / 2), h, w };
}

export function defineAugmentLayers(tf: TF): Record<string, new (config: AugmentConfig) => tfjs.layers.Layer> {
  /** Draws `count` uniform numbers in [lo, hi) to the host. */
  const uniforms = (count: number, lo: number, hi: number, seed: number | undefined): Float32Array =>
    tf.tidy(() => tf.randomUniform([count], lo, hi, 'float32', seed).dataSync() as Float32Array);
  const other = (seed: number | undefined, k: number) => (seed === undefined ? undefined : seed + 7919 * k);

  type Transform = (x: Tensor, seed: number | undefined, config: AugmentConfig) => Tensor;

  function augmentLayer(className: string, training: Transform, opts: { inference?: Transform; outputShape?: (s: Shape, c: AugmentConfig) => Shape } = {}) {
    class AugmentLayer extends tf.layers.Layer {
      static className = className;
      private readonly config: AugmentConfig;
      private calls = 0;

      constructor(config: AugmentConfig) {
        super(config as object);
        this.config = config;
      }

      override call(inputs: Tensor | Tensor[], kwargs: { training?: boolean }): Tensor {
        return tf.tidy(() => {
          const raw = Array.isArray(inputs) ? inputs[0]! : inputs;
          // Keras's image layers compute in float32, integer pixels included.
          const x = raw.dtype === 'float32' ? raw : tf.cast(raw, 'float32');
          if (kwargs?.training !== true) return opts.inference ? opts.inference(x, undefined, this.config) : x;
          const seed = this.config.seed === undefined ? undefined : this.config.seed + this.calls++;
          return training(x, seed, this.config);
        });
      }

      override computeOutputShape(inputShape: Shape | Shape[]): Shape {
        const shape = inputShape as Shape;
        return opts.outputShape ? opts.outputShape(shape, this.config) : shape;
      }

      override getConfig(): tfjs.serialization.ConfigDict {
        const { factor, heightFactor, widthFactor, fillMode, interpolation, fillValue, valueRange, height, width, seed } = this.config;
        const own = Object.fromEntries(Object.entries({ factor, heightFactor, widthFactor, fillMode, interpolation, fillValue, valueRange, height, width, seed })
          .filter(([, v]) => v !== undefined)) as tfjs.serialization.ConfigDict;
        return { ...super.getConfig(), ...own };
      }
    }
    tf.serialization.registerClass(AugmentLayer as unknown as tfjs.serialization.SerializableConstructor<tfjs.serialization.Serializable>);
    return AugmentLayer as unknown as new (config: AugmentConfig) => tfjs.layers.Layer;
  }

  /** An affine transform per image, from the 8 numbers `matrix` gives for image b. */
  function affine(x: Tensor, c: AugmentConfig, matrix: (b: number, h: number, w: number) => number[]): Tensor {
    const [batch, h, w] = x.shape as [number, number, number];
    const transforms = Array.from({ length: batch }, (_, b) => matrix(b, h, w)).flat();
    const sampling = affineSampling(batch, [h, w], [h, w], transforms, c.interpolation ?? 'bilinear', c.fillMode ?? 'reflect');
    return applySampling(tf, x, sampling, [h, w], c.fillValue ?? 0);
  }

  const RandomRotation = augmentLayer('RandomRotation', (x, seed, c) => {
    const [lo, hi] = factorRange(c.factor ?? 0);
    // Keras: an angle of factor · 360° about the image's centre, per image.
    const turns = uniforms(x.shape[0]!, lo, hi, seed);
    return affine(x, c, (b, h, w) => {
      const angle = turns[b]! * 2 * Math.PI;
      const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
      const [cx, cy] = [(w - 1) / 2, (h - 1) / 2];
      return [cos, -sin, cx - cx * cos + cy * sin, sin, cos, cy - cx * sin - cy * cos, 0, 0];
    });
  });

  const RandomZoom = augmentLayer('RandomZoom', (x, seed, c) => {
    const batch = x.shape[0]!;
    const [hl, hu] = factorRange(c.heightFactor ?? 0);
    const heightZoom = uniforms(batch, 1 + hl, 1 + hu, seed);
    // Without width_factor, the width is zoomed as the height: the aspect ratio is kept.
    const widthZoom = c.widthFactor === undefined || c.widthFactor === null
      ? heightZoom
      : ((r) => uniforms(batch, 1 + r[0], 1 + r[1], other(seed, 1)))(factorRange(c.widthFactor));
    return affine(x, c, (b, h, w) => {
      const [zx, zy] = [widthZoom[b]!, heightZoom[b]!];
      return [zx, 0, ((w - 1) / 2) * (1 - zx), 0, zy, ((h - 1) / 2) * (1 - zy), 0, 0];
    });
  });

  const RandomTranslation = augmentLayer('RandomTranslation', (x, seed, c) => {
    const batch = x.shape[0]!;
    const [hl, hu] = factorRange(c.heightFactor ?? 0);
    const [wl, wu] = factorRange(c.widthFactor ?? 0);
    const dy = uniforms(batch, hl, hu, seed);
    const dx = uniforms(batch, wl, wu, other(seed, 1));
    return affine(x, c, (b, h, w) => [1, 0, -dx[b]! * w, 0, 1, -dy[b]! * h, 0, 0]);
  });

  const RandomContrast = augmentLayer('RandomContrast', (x, seed, c) => {
    // Keras's documented range: a factor f picks the contrast in [1 − f, 1 + f]; a pair [lower, upper] in [1 − lower, 1 + upper].
    const [lower, upper] = typeof c.factor === 'number' ? [c.factor, c.factor] : ((c.factor ?? [0, 0]) as [number, number]);
    const batch = x.shape[0]!;
    const contrast = tf.tensor4d(uniforms(batch, 1 - lower, 1 + upper, seed), [batch, 1, 1, 1]);
    const mean = tf.mean(x, [1, 2], true);
    const [low, high] = (c.valueRange ?? [0, 255]) as [number, number];
    return tf.clipByValue(tf.add(tf.mul(tf.sub(x, mean), contrast), mean), low, high);
  });

  /** A window of the images, resized (bilinear, half-pixel centres, as tf.image.resize) to the crop's size when it is not that size. */
  const cropTo = (x: Tensor, c: AugmentConfig, top: number, left: number, h: number, w: number): Tensor => {
    const [height, width] = [c.height!, c.width!];
    const batch = x.shape[0]!;
    const window = tf.slice(x, [0, top, left, 0], [batch, h, w, x.shape[3]!]);
    if (h === height && w === width) return window;
    const [sy, sx] = [h / height, w / width];
    // Output pixel (x, y) reads the window at ((x + ½)·sx − ½, (y + ½)·sy − ½), clamped to it as tf.image.resize clamps.
    const t = [sx, 0, sx / 2 - 0.5, 0, sy, sy / 2 - 0.5, 0, 0];
    const sampling = affineSampling(batch, [h, w], [height, width], Array.from({ length: batch }, () => t).flat(), 'bilinear', 'nearest');
    return applySampling(tf, window, sampling, [height, width], 0);
  };
  const centred = (x: Tensor, _seed: number | undefined, c: AugmentConfig): Tensor => {
    const win = centredWindow(x.shape[1]!, x.shape[2]!, c.height!, c.width!);
    return cropTo(x, c, win.top, win.left, win.h, win.w);
  };
  const RandomCrop = augmentLayer('RandomCrop', (x, seed, c) => {
    const [inH, inW] = [x.shape[1]!, x.shape[2]!];
    const [height, width] = [c.height!, c.width!];
    if (!(inH > height && inW > width)) return centred(x, seed, c);
    // Keras: one window for the whole batch, its corner uniform over every position.
    const [u, v] = [uniforms(1, 0, inH - height + 1, seed)[0]!, uniforms(1, 0, inW - width + 1, other(seed, 1))[0]!];
    return cropTo(x, c, Math.min(Math.trunc(u), inH - height), Math.min(Math.trunc(v), inW - width), height, width);
  }, { inference: centred, outputShape: (s, c) => [s[0] ?? null, c.height!, c.width!, s[3] ?? null] });

  return { RandomRotation, RandomZoom, RandomTranslation, RandomContrast, RandomCrop };
}
