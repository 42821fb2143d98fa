/**
 * Keras's ELU layer for any alpha: x for x > 0, alpha·(exp(x) − 1) below.
 * tfjs-layers' ELU refuses alpha ≠ 1; this one is saved under the same class
 * name, ELU, and reads tfjs's saved config (alpha) the same way.
 */
import type * as tfjs from '@tensorflow/tfjs';

type TF = typeof import('@tensorflow/tfjs');
type Tensor = tfjs.Tensor;

export interface EluConfig {
  alpha?: number;
  name?: string;
  trainable?: boolean;
  inputShape?: (number | null)[];
  batchInputShape?: (number | null)[];
  dtype?: string;
}

export const ELU_CLASS_NAME = 'ELU';

export function defineElu(tf: TF): new (config: EluConfig) => tfjs.layers.Layer {
  class KerasELU extends tf.layers.Layer {
    static className = ELU_CLASS_NAME;
    readonly alpha: number;

    constructor(config: EluConfig) {
      super(config as object);
      this.alpha = config.alpha ?? 1;
      this.supportsMasking = true;
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const x = Array.isArray(inputs) ? inputs[0]! : inputs;
        // relu(x) + alpha·min(elu(x), 0): elu's negative part scaled, built from ops with gradients on every backend.
        return this.alpha === 1 ? tf.elu(x) : tf.add(tf.relu(x), tf.mul(tf.minimum(tf.elu(x), 0), this.alpha));
      });
    }

    override getConfig(): tfjs.serialization.ConfigDict {
      return { ...super.getConfig(), alpha: this.alpha };
    }
  }
  tf.serialization.registerClass(KerasELU as unknown as tfjs.serialization.SerializableConstructor<tfjs.serialization.Serializable>);
  return KerasELU as unknown as new (config: EluConfig) => tfjs.layers.Layer;
}
