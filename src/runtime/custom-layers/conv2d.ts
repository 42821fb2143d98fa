/**
 * Keras's Conv2D with a dilation above 1, trainable. tfjs-layers runs every
 * conv2d whose activation is not relu or elu through the fused convolution op,
 * and while training that op keeps its own gradient (not one registered by
 * kernel name, so mlc cannot replace it), which refuses dilations above 1.
 * This layer runs a dilated convolution unfused instead: conv2d, bias,
 * activation, as Keras does, so the Conv2D gradient mlc registers
 * (src/runtime/kernels/dilated-conv-gradient.ts) trains it. Undilated
 * convolutions run tfjs's own code. It extends tfjs's Conv2D (same weights,
 * initializers and config) and is saved under its class name, Conv2D.
 */
import type * as tfjs from '@tensorflow/tfjs';

type TF = typeof import('@tensorflow/tfjs');
type Tensor = tfjs.Tensor;

interface TfConv2D extends tfjs.layers.Layer {
  kernel: tfjs.LayerVariable;
  bias: tfjs.LayerVariable | null;
  strides: [number, number];
  padding: 'valid' | 'same';
  dilationRate: [number, number];
  activation: { apply(x: Tensor): Tensor };
}
type TfConv2DClass = new (args: object) => TfConv2D;

export const CONV2D_CLASS_NAME = 'Conv2D';

export function defineDilatedConv2D(tf: TF): new (config: Record<string, unknown>) => tfjs.layers.Layer {
  // tfjs-layers exports no Conv2D class, only its factory: take the class from an instance.
  const Conv2D = Object.getPrototypeOf(tf.layers.conv2d({ filters: 1, kernelSize: 1 })).constructor as TfConv2DClass;

  class KerasConv2D extends Conv2D {
    static className = CONV2D_CLASS_NAME;

    override call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor | Tensor[] {
      if (this.dilationRate.every((d) => d === 1)) return super.call(inputs, kwargs);
      return tf.tidy(() => {
        const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tfjs.Tensor4D;
        let y: Tensor = tf.conv2d(x, this.kernel.read() as tfjs.Tensor4D, this.strides, this.padding, 'NHWC', this.dilationRate);
        if (this.bias) y = tf.add(y, this.bias.read());
        return this.activation.apply(y);
      });
    }
  }
  tf.serialization.registerClass(KerasConv2D as unknown as tfjs.serialization.SerializableConstructor<tfjs.serialization.Serializable>);
  return KerasConv2D as unknown as new (config: Record<string, unknown>) => tfjs.layers.Layer;
}
