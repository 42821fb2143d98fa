/**
 * Keras's 1-D reshaping layers, which tfjs-layers lacks (it has only the 2-D
 * ones): ZeroPadding1D (zeros before and after the steps), Cropping1D (steps
 * cut off both ends) and UpSampling1D (each step repeated `size` times), on
 * (batch, steps, features). Saved under Keras's class names.
 */
import type * as tfjs from '@tensorflow/tfjs';

type TF = typeof import('@tensorflow/tfjs');
type Tensor = tfjs.Tensor;
type Shape = (number | null)[];

export interface SequenceLayerConfig {
  /** ZeroPadding1D / Cropping1D: [before, after]. */
  padding?: [number, number];
  cropping?: [number, number];
  /** UpSampling1D. */
  size?: number;
  name?: string;
  trainable?: boolean;
  inputShape?: (number | null)[];
  batchInputShape?: (number | null)[];
  dtype?: string;
}

type Rule = { steps: (n: number, c: SequenceLayerConfig) => number; run: (tf: TF, x: Tensor, c: SequenceLayerConfig) => Tensor };

const RULES: Record<string, Rule> = {
  ZeroPadding1D: {
    steps: (n, c) => n + c.padding![0] + c.padding![1],
    run: (tf, x, c) => tf.pad(x, [[0, 0], c.padding!, [0, 0]]),
  },
  Cropping1D: {
    steps: (n, c) => n - c.cropping![0] - c.cropping![1],
    run: (tf, x, c) => tf.slice(x, [0, c.cropping![0], 0], [-1, x.shape[1]! - c.cropping![0] - c.cropping![1], -1]),
  },
  UpSampling1D: {
    steps: (n, c) => n * c.size!,
    // (b, n, f) -> (b, n, size, f) -> (b, n·size, f): each step `size` times in a row.
    run: (tf, x, c) => tf.reshape(tf.tile(tf.expandDims(x, 2), [1, 1, c.size!, 1]), [x.shape[0]!, x.shape[1]! * c.size!, x.shape[2]!]),
  },
};

export function defineSequenceLayers(tf: TF): Record<string, new (config: SequenceLayerConfig) => tfjs.layers.Layer> {
  const out: Record<string, new (config: SequenceLayerConfig) => tfjs.layers.Layer> = {};
  for (const [className, rule] of Object.entries(RULES)) {
    class SequenceLayer extends tf.layers.Layer {
      static className = className;
      private readonly config: SequenceLayerConfig;

      constructor(config: SequenceLayerConfig) {
        super(config as object);
        this.config = config;
      }

      override computeOutputShape(inputShape: Shape | Shape[]): Shape {
        const [batch, steps, features] = inputShape as Shape;
        return [batch ?? null, steps === null || steps === undefined ? null : rule.steps(steps, this.config), features ?? null];
      }

      override call(inputs: Tensor | Tensor[]): Tensor {
        return tf.tidy(() => rule.run(tf, Array.isArray(inputs) ? inputs[0]! : inputs, this.config));
      }

      override getConfig(): tfjs.serialization.ConfigDict {
        const { padding, cropping, size } = this.config;
        const own = Object.fromEntries(Object.entries({ padding, cropping, size }).filter(([, v]) => v !== undefined)) as tfjs.serialization.ConfigDict;
        return { ...super.getConfig(), ...own };
      }
    }
    tf.serialization.registerClass(SequenceLayer as unknown as tfjs.serialization.SerializableConstructor<tfjs.serialization.Serializable>);
    out[className] = SequenceLayer as unknown as new (config: SequenceLayerConfig) => tfjs.layers.Layer;
  }
  return out;
}
