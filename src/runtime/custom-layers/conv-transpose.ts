/**
 * Keras's Conv2DTranspose with output_padding and dilation_rate, and
 * Conv1DTranspose: tfjs-layers' Conv2DTranspose has neither argument, and
 * tfjs-layers has no Conv1DTranspose. Both run tfjs-core's conv2dTranspose
 * (a sequence as an image one row high) with Keras 3's output length; a
 * dilated kernel is spread out with zeros first, built from reshape, pad and
 * slice so that its gradient exists on every backend. They extend
 * tfjs-layers' own Conv2DTranspose and Conv1D (same weights, initializers and
 * config) and are saved under Keras's class names; a saved tfjs
 * Conv2DTranspose (no output_padding) loads into this class unchanged.
 */
import type * as tfjs from '@tensorflow/tfjs';

type TF = typeof import('@tensorflow/tfjs');
type Tensor = tfjs.Tensor;
type Shape = (number | null)[];

/** The parts of tfjs-layers' BaseConv these classes read. */
interface TfConv extends tfjs.layers.Layer {
  filters: number;
  kernelSize: number[];
  strides: number[];
  padding: string;
  dilationRate: number[];
  useBias: boolean;
  kernel: tfjs.LayerVariable;
  bias: tfjs.LayerVariable | null;
  activation: { apply(x: Tensor): Tensor } | null;
  kernelInitializer: unknown;
  biasInitializer: unknown;
  kernelRegularizer: unknown;
  biasRegularizer: unknown;
  kernelConstraint: unknown;
  biasConstraint: unknown;
}
type TfConvClass = new (args: object) => TfConv;

export interface ConvTransposeConfig {
  filters: number;
  kernelSize: number | number[];
  strides?: number | number[];
  padding?: string;
  /** Keras's output_padding; null or absent is Keras's None (the length is inferred). */
  outputPadding?: number[] | null;
  dilationRate?: number | number[];
  [key: string]: unknown;
}

/** Keras 3's output length along one axis (keras/src/backend/common/backend_utils.py). */
function transposedLength(n: number | null, kernel: number, stride: number, padding: string, outputPadding: number | null, dilation: number): number | null {
  if (n === null) return null;
  const k = (kernel - 1) * dilation + 1;
  if (padding === 'valid') return (n - 1) * stride + k + (outputPadding ?? Math.max(k, stride) - k);
  return outputPadding === null ? n * stride : (n - 1) * stride + (k % 2) + outputPadding;
}

const asArray = (v: number | number[] | undefined, rank: number, fallback: number): number[] =>
  v === undefined ? Array(rank).fill(fallback) : typeof v === 'number' ? Array(rank).fill(v) : v;

export function defineConvTranspose(tf: TF): { Conv2DTranspose: new (config: ConvTransposeConfig) => tfjs.layers.Layer; Conv1DTranspose: new (config: ConvTransposeConfig) => tfjs.layers.Layer } {
  /** A 4-D kernel (kh, kw, filters, in) with dilation − 1 zeros between taps. */
  function dilate(kernel: Tensor, dilation: number[]): Tensor {
    const [dh, dw] = dilation as [number, number];
    if (dh === 1 && dw === 1) return kernel;
    const [kh, kw, f, c] = kernel.shape as [number, number, number, number];
    const spread = tf.pad(tf.reshape(kernel, [kh, 1, kw, 1, f, c]), [[0, 0], [0, dh - 1], [0, 0], [0, dw - 1], [0, 0], [0, 0]]);
    return tf.slice(tf.reshape(spread, [kh * dh, kw * dw, f, c]), [0, 0, 0, 0], [(kh - 1) * dh + 1, (kw - 1) * dw + 1, f, c]);
  }

  /** The transposed convolution of an image (batch, h, w, in) by a 4-D kernel, with bias and activation. */
  function run(layer: TfConv, x: Tensor, kernel: Tensor, strides: number[], dilation: number[], outputPadding: number[] | null): Tensor {
    const [batch, h, w] = x.shape as [number, number, number];
    const out: [number, number, number, number] = [
      batch,
      transposedLength(h, kernel.shape[0]!, strides[0]!, layer.padding, outputPadding?.[0] ?? null, dilation[0]!)!,
      transposedLength(w, kernel.shape[1]!, strides[1]!, layer.padding, outputPadding?.[1] ?? null, dilation[1]!)!,
      layer.filters,
    ];
    let y: Tensor = tf.conv2dTranspose(x as tfjs.Tensor4D, dilate(kernel, dilation) as tfjs.Tensor4D, out, strides as [number, number], layer.padding as 'same' | 'valid');
    if (layer.bias) y = tf.add(y, layer.bias.read());
    return layer.activation ? layer.activation.apply(y) : y;
  }

  const Conv2DTransposeBase = Object.getPrototypeOf(tf.layers.conv2dTranspose({ filters: 1, kernelSize: 1 })).constructor as TfConvClass;

  class KerasConv2DTranspose extends Conv2DTransposeBase {
    static className = 'Conv2DTranspose';
    readonly outputPadding: number[] | null;
    private readonly dilation: number[];

    constructor(config: ConvTransposeConfig) {
      super(config);
      this.outputPadding = config.outputPadding ?? null;
      this.dilation = asArray(config.dilationRate, 2, 1);
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const x = Array.isArray(inputs) ? inputs[0]! : inputs;
        return run(this, x, this.kernel.read(), this.strides, this.dilation, this.outputPadding);
      });
    }

    override computeOutputShape(inputShape: Shape | Shape[]): Shape {
      const [batch, h, w] = inputShape as Shape;
      const len = (n: number | null | undefined, i: number) =>
        transposedLength(n ?? null, this.kernelSize[i]!, this.strides[i]!, this.padding, this.outputPadding?.[i] ?? null, this.dilation[i]!);
      return [batch ?? null, len(h, 0), len(w, 1), this.filters];
    }

    override getConfig(): tfjs.serialization.ConfigDict {
      return { ...super.getConfig(), dilationRate: this.dilation, outputPadding: this.outputPadding };
    }
  }

  const Conv1DBase = Object.getPrototypeOf(tf.layers.conv1d({ filters: 1, kernelSize: 1 })).constructor as TfConvClass;

  /** Keras's Conv1DTranspose: kernel (k, filters, in), run as a one-row image. */
  class KerasConv1DTranspose extends Conv1DBase {
    static className = 'Conv1DTranspose';
    readonly outputPadding: number[] | null;

    constructor(config: ConvTransposeConfig) {
      super(config);
      this.outputPadding = config.outputPadding ?? null;
    }

    override build(inputShape: Shape | Shape[]): void {
      const shape = inputShape as Shape;
      const inChannels = shape[shape.length - 1];
      if (inChannels === null || inChannels === undefined) throw new Error(`${this.name}: Conv1DTranspose needs a known channel count`);
      this.kernel = this.addWeight('kernel', [this.kernelSize[0]!, this.filters, inChannels], 'float32',
        this.kernelInitializer as never, this.kernelRegularizer as never, true, this.kernelConstraint as never);
      if (this.useBias) {
        this.bias = this.addWeight('bias', [this.filters], 'float32', this.biasInitializer as never, this.biasRegularizer as never, true, this.biasConstraint as never);
      }
      this.built = true;
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const x = Array.isArray(inputs) ? inputs[0]! : inputs;
        const [batch, steps, channels] = x.shape as [number, number, number];
        const [k, f, c] = this.kernel.shape as [number, number, number];
        const y = run(this, tf.reshape(x, [batch, 1, steps, channels]), tf.reshape(this.kernel.read(), [1, k, f, c]), [1, this.strides[0]!],
          [1, this.dilationRate[0]!], this.outputPadding === null ? null : [0, this.outputPadding[0]!]);
        return tf.squeeze(y, [1]);
      });
    }

    override computeOutputShape(inputShape: Shape | Shape[]): Shape {
      const [batch, steps] = inputShape as Shape;
      return [batch ?? null, transposedLength(steps ?? null, this.kernelSize[0]!, this.strides[0]!, this.padding, this.outputPadding?.[0] ?? null, this.dilationRate[0]!), this.filters];
    }

    override getConfig(): tfjs.serialization.ConfigDict {
      return { ...super.getConfig(), outputPadding: this.outputPadding };
    }
  }

  for (const cls of [KerasConv2DTranspose, KerasConv1DTranspose]) {
    tf.serialization.registerClass(cls as unknown as tfjs.serialization.SerializableConstructor<tfjs.serialization.Serializable>);
  }
  return {
    Conv2DTranspose: KerasConv2DTranspose as unknown as new (config: ConvTransposeConfig) => tfjs.layers.Layer,
    Conv1DTranspose: KerasConv1DTranspose as unknown as new (config: ConvTransposeConfig) => tfjs.layers.Layer,
  };
}
