/**
 * Keras's layers that act only while training and draw random numbers:
 * GaussianNoise, GaussianDropout, SpatialDropout1D/2D and RandomFlip. Each
 * draws with `seed + n` on its n-th training call, so a seeded run repeats
 * exactly and no two batches share a draw (tfjs-layers' own noise layers
 * take no seed, and it has no SpatialDropout2D or RandomFlip). At inference
 * they return their input. Saved under Keras's class names.
 */
import type * as tfjs from '@tensorflow/tfjs';

type TF = typeof import('@tensorflow/tfjs');
type Tensor = tfjs.Tensor;

export interface RandomLayerConfig {
  /** GaussianDropout and SpatialDropout: the fraction dropped. */
  rate?: number;
  /** GaussianNoise: the standard deviation of the noise. */
  stddev?: number;
  /** RandomFlip: `horizontal`, `vertical` or `horizontal_and_vertical`. */
  mode?: string;
  seed?: number;
  name?: string;
  trainable?: boolean;
  inputShape?: (number | null)[];
  batchInputShape?: (number | null)[];
  dtype?: string;
}

type Draw = (x: Tensor, seed: number | undefined) => Tensor;

export function defineRandomLayers(tf: TF): Record<string, new (config: RandomLayerConfig) => tfjs.layers.Layer> {
  /** One class per Keras layer, differing only in what a training call draws. */
  function randomLayer(className: string, draw: (config: RandomLayerConfig) => Draw) {
    class RandomLayer extends tf.layers.Layer {
      static className = className;
      private readonly config: RandomLayerConfig;
      private readonly drawFn: Draw;
      private calls = 0;

      constructor(config: RandomLayerConfig) {
        super(config as object);
        this.config = config;
        this.drawFn = draw(config);
        this.supportsMasking = true;
      }

      override call(inputs: Tensor | Tensor[], kwargs: { training?: boolean }): Tensor {
        const x = Array.isArray(inputs) ? inputs[0]! : inputs;
        if (kwargs?.training !== true) return x;
        const seed = this.config.seed === undefined ? undefined : this.config.seed + this.calls++;
        return tf.tidy(() => this.drawFn(x, seed));
      }

      override getConfig(): tfjs.serialization.ConfigDict {
        const { rate, stddev, mode, seed } = this.config;
        const own = Object.fromEntries(Object.entries({ rate, stddev, mode, seed }).filter(([, v]) => v !== undefined)) as tfjs.serialization.ConfigDict;
        return { ...super.getConfig(), ...own };
      }
    }
    tf.serialization.registerClass(RandomLayer as unknown as tfjs.serialization.SerializableConstructor<tfjs.serialization.Serializable>);
    return RandomLayer as unknown as new (config: RandomLayerConfig) => tfjs.layers.Layer;
  }

  const spatialDropout = (c: RandomLayerConfig): Draw => (x, seed) => {
    // One draw per sample and channel, shared over the steps (and rows, columns).
    const noiseShape = x.shape.map((d, i) => (i === 0 || i === x.shape.length - 1 ? d : 1)) as number[];
    return tf.dropout(x, c.rate ?? 0, noiseShape, seed);
  };
  return {
    GaussianNoise: randomLayer('GaussianNoise', (c) => (x, seed) => tf.add(x, tf.randomNormal(x.shape, 0, c.stddev ?? 0, 'float32', seed))),
    GaussianDropout: randomLayer('GaussianDropout', (c) => (x, seed) => {
      const rate = c.rate ?? 0;
      return tf.mul(x, tf.randomNormal(x.shape, 1, Math.sqrt(rate / (1 - rate)), 'float32', seed));
    }),
    SpatialDropout1D: randomLayer('SpatialDropout1D', spatialDropout),
    SpatialDropout2D: randomLayer('SpatialDropout2D', spatialDropout),
    RandomFlip: randomLayer('RandomFlip', (c) => (x, seed) => {
      const mode = c.mode ?? 'horizontal_and_vertical';
      const batch = x.shape[0]!;
      let out = x;
      // Each image is flipped with probability 1/2 along each axis the mode names (width: axis 2, height: axis 1).
      const flip = (t: Tensor, axis: number, s: number | undefined) => {
        const coin = tf.less(tf.randomUniform([batch, 1, 1, 1], 0, 1, 'float32', s), 0.5);
        return tf.where(tf.broadcastTo(coin, t.shape), tf.reverse(t, axis), t);
      };
      if (mode.includes('horizontal')) out = flip(out, 2, seed);
      if (mode.includes('vertical')) out = flip(out, 1, seed === undefined ? undefined : seed + 7919);
      return out;
    }),
  };
}
