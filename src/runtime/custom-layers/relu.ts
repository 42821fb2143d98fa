/**
 * Keras's ReLU layer in full: tfjs-layers' ReLU has only max_value, Keras's
 * also negative_slope and threshold (keras.activations.relu):
 *
 *   f(x) = max_value                      for x ≥ max_value
 *        = x                              for threshold ≤ x < max_value
 *        = negative_slope · (x − threshold)   for x < threshold
 *
 * Saved under Keras's class name, ReLU, as a superset of tfjs's (whose saved
 * config has only maxValue, read the same way here).
 */
import type * as tfjs from '@tensorflow/tfjs';

type TF = typeof import('@tensorflow/tfjs');
type Tensor = tfjs.Tensor;

export interface ReluConfig {
  maxValue?: number | null;
  negativeSlope?: number;
  threshold?: number;
  name?: string;
  trainable?: boolean;
  inputShape?: (number | null)[];
  batchInputShape?: (number | null)[];
  dtype?: string;
}

export const RELU_CLASS_NAME = 'ReLU';

export function defineRelu(tf: TF): new (config: ReluConfig) => tfjs.layers.Layer {
  class KerasReLU extends tf.layers.Layer {
    static className = RELU_CLASS_NAME;
    readonly maxValue: number | null;
    readonly negativeSlope: number;
    readonly threshold: number;

    constructor(config: ReluConfig) {
      super(config as object);
      this.maxValue = config.maxValue ?? null;
      this.negativeSlope = config.negativeSlope ?? 0;
      this.threshold = config.threshold ?? 0;
      this.supportsMasking = true;
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const x = Array.isArray(inputs) ? inputs[0]! : inputs;
        let y = this.threshold === 0 ? tf.relu(x) : tf.where(tf.greaterEqual(x, this.threshold), x, tf.zerosLike(x));
        if (this.maxValue !== null) y = tf.minimum(y, this.maxValue);
        if (this.negativeSlope !== 0) {
          y = tf.add(y, tf.mul(tf.minimum(tf.sub(x, this.threshold), 0), this.negativeSlope));
        }
        return y;
      });
    }

    override getConfig(): tfjs.serialization.ConfigDict {
      return { ...super.getConfig(), maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold };
    }
  }
  tf.serialization.registerClass(KerasReLU as unknown as tfjs.serialization.SerializableConstructor<tfjs.serialization.Serializable>);
  return KerasReLU as unknown as new (config: ReluConfig) => tfjs.layers.Layer;
}
