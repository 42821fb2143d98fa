/**
 * tfjs-layers' DepthwiseConv2D and SeparableConv2D with two of their weight
 * options mended. tfjs 4.22's SeparableConv2D draws the pointwise kernel
 * with the depthwise initializer (it reads `depthwiseInitializer` for both;
 * here the pointwise one is its own, Glorot uniform when not given),
 * and its DepthwiseConv2D saves the depthwise regularizer as the depthwise
 * constraint, which a loaded model then applies to every weight update
 * (failing at the first). These classes are otherwise tfjs's own, saved
 * under the same class names, so saved models of either load into them.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { makeInitializer, type InitializerConfig } from './gru.js';

type TF = typeof import('@tensorflow/tfjs');
type Initializer = ReturnType<TF['initializers']['zeros']>;

interface TfSeparableConv2D extends tfjs.layers.Layer {
  pointwiseInitializer: Initializer;
}

export interface DepthwiseConfig {
  pointwiseInitializer?: InitializerConfig | Initializer;
  [key: string]: unknown;
}

export function defineDepthwiseLayers(tf: TF): {
  DepthwiseConv2D: new (config: DepthwiseConfig) => tfjs.layers.Layer;
  SeparableConv2D: new (config: DepthwiseConfig) => tfjs.layers.Layer;
} {
  // tfjs-layers exports only the factories: take the classes from instances.
  const DepthwiseBase = Object.getPrototypeOf(tf.layers.depthwiseConv2d({ kernelSize: 1 })).constructor as new (config: object) => tfjs.layers.Layer;
  const SeparableBase = Object.getPrototypeOf(tf.layers.separableConv2d({ filters: 1, kernelSize: 1 })).constructor as new (config: object) => TfSeparableConv2D;

  class KerasDepthwiseConv2D extends DepthwiseBase {
    static className = 'DepthwiseConv2D';

    override getConfig(): tfjs.serialization.ConfigDict {
      // mlc sets no constraint: what tfjs writes here is the regularizer.
      return { ...super.getConfig(), depthwiseConstraint: null };
    }
  }

  class KerasSeparableConv2D extends SeparableBase {
    static className = 'SeparableConv2D';

    constructor(config: DepthwiseConfig) {
      super(config);
      this.pointwiseInitializer = makeInitializer(tf, config.pointwiseInitializer ?? undefined, () => tf.initializers.glorotUniform({}));
    }
  }

  for (const c of [KerasDepthwiseConv2D, KerasSeparableConv2D]) {
    tf.serialization.registerClass(c as unknown as tfjs.serialization.SerializableConstructor<tfjs.serialization.Serializable>);
  }
  return { DepthwiseConv2D: KerasDepthwiseConv2D, SeparableConv2D: KerasSeparableConv2D };
}
