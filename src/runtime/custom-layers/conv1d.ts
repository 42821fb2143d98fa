/**
 * Keras's Conv1D with padding="causal", which tfjs-layers accepts but cannot
 * run ("CAUSAL padding mode ... is not implemented yet"): the input gets
 * dilation·(kernel − 1) zeros in front and is convolved with `valid`
 * padding, exactly as Keras pads it, so output step t sees input steps ≤ t.
 * It extends tfjs's own Conv1D (same weights, initializers and config) and is
 * saved under its class name, Conv1D, with `padding: "causal"`.
 */
import type * as tfjs from '@tensorflow/tfjs';

type TF = typeof import('@tensorflow/tfjs');
type Tensor = tfjs.Tensor;
type Shape = (number | null)[];

interface TfConv1D extends tfjs.layers.Layer {
  kernelSize: number[];
  dilationRate: number[];
}
type TfConv1DClass = new (args: object) => TfConv1D;

export const CONV1D_CLASS_NAME = 'Conv1D';

export function defineCausalConv1D(tf: TF): new (config: Record<string, unknown>) => tfjs.layers.Layer {
  // tfjs-layers exports no Conv1D class, only its factory: take the class from an instance.
  const Conv1D = Object.getPrototypeOf(tf.layers.conv1d({ filters: 1, kernelSize: 1 })).constructor as TfConv1DClass;

  class KerasConv1D extends Conv1D {
    static className = CONV1D_CLASS_NAME;
    readonly causal: boolean;

    constructor(config: Record<string, unknown>) {
      const causal = config.padding === 'causal';
      super({ ...config, padding: causal ? 'valid' : config.padding });
      this.causal = causal;
    }

    private get leftPad(): number {
      return (this.dilationRate[0] ?? 1) * (this.kernelSize[0]! - 1);
    }

    override call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor | Tensor[] {
      if (!this.causal) return super.call(inputs, kwargs);
      return tf.tidy(() => {
        const x = Array.isArray(inputs) ? inputs[0]! : inputs;
        return super.call(tf.pad(x, [[0, 0], [this.leftPad, 0], [0, 0]]), kwargs) as Tensor;
      });
    }

    override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
      if (!this.causal) return super.computeOutputShape(inputShape);
      const shape = [...(inputShape as Shape)];
      shape[1] = shape[1] === null || shape[1] === undefined ? null : shape[1] + this.leftPad;
      return super.computeOutputShape(shape);
    }

    override getConfig(): tfjs.serialization.ConfigDict {
      const config = super.getConfig();
      return this.causal ? { ...config, padding: 'causal' } : config;
    }
  }
  tf.serialization.registerClass(KerasConv1D as unknown as tfjs.serialization.SerializableConstructor<tfjs.serialization.Serializable>);
  return KerasConv1D as unknown as new (config: Record<string, unknown>) => tfjs.layers.Layer;
}
