/**
 * mlc's own tfjs layers, for the Keras classes tfjs-layers 4.22 lacks. A
 * layer kind whose tfjs lowering says `custom: true` is built here instead of
 * by `tf.layers[factory]`. The classes are registered for serialization, so
 * saved models that use them load again.
 *
 * This folder imports nothing but TensorFlow.js types, because `mlc emit`
 * copies it next to the emitted module (./mlc-layers/), where it serves the
 * same purpose; it is handed the `tf` namespace the caller loaded.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { defineElu } from './elu.js';
import { defineGRU } from './gru.js';
import { defineRelu } from './relu.js';
import { defineRandomLayers } from './random.js';
import { defineCausalConv1D } from './conv1d.js';
import { defineDilatedConv2D } from './conv2d.js';
import { defineAnyRankNormalization } from './any-rank-normalization.js';
import { defineSequenceLayers } from './sequence.js';
import { defineConvTranspose } from './conv-transpose.js';
import { defineNormalization } from './normalization.js';
import { defineAugmentLayers } from './augment.js';
import { defineDepthwiseLayers } from './depthwise.js';

export { GRU_CELL_CLASS_NAME, GRU_CLASS_NAME, type GRUConfig, type InitializerConfig } from './gru.js';
export { RELU_CLASS_NAME, type ReluConfig } from './relu.js';
export { ELU_CLASS_NAME, type EluConfig } from './elu.js';
export type { RandomLayerConfig } from './random.js';
export type { AugmentConfig } from './augment.js';
export type { ConvTransposeConfig } from './conv-transpose.js';
export type { DepthwiseConfig } from './depthwise.js';
export { adaptNormalization, type NormalizationConfig } from './normalization.js';
export { adoptCellPenalties, penalizeActivity } from './penalties.js';

type TF = typeof import('@tensorflow/tfjs');
type Shape = (number | null)[];
/** A layer's tfjs config: its name and whatever arguments the layer reads. */
type LayerArgs = { name?: string; [key: string]: unknown };
export type CustomFactory = (config: LayerArgs) => tfjs.layers.Layer;

const made = new WeakMap<object, Record<string, CustomFactory>>();

/** The factories of mlc's own layers, built on `tf` (once per tfjs instance). */
export function customLayers(tf: TF): Record<string, CustomFactory> {
  let factories = made.get(tf);
  if (factories) return factories;

  /** Keras's Subtract: the first input minus the second, broadcast element-wise like Add. */
  class Subtract extends tf.layers.Layer {
    static className = 'Subtract';
    override computeOutputShape(inputShape: Shape | Shape[]): Shape {
      const [a, b] = inputShape as Shape[];
      const rank = Math.max(a.length, b.length);
      const out: Shape = [];
      for (let k = 1; k <= rank; k++) {
        const x = a[a.length - k];
        const y = b[b.length - k];
        out.unshift(x === undefined || x === 1 ? (y ?? x ?? null) : y === undefined || y === 1 || y === null ? x : x === null ? y : x);
      }
      return out;
    }
    override call(inputs: tfjs.Tensor | tfjs.Tensor[]): tfjs.Tensor {
      const [a, b] = inputs as tfjs.Tensor[];
      return tf.sub(a, b);
    }
  }
  tf.serialization.registerClass(Subtract);

  const { GRU } = defineGRU(tf);
  const ReLU = defineRelu(tf);
  const ELU = defineElu(tf);
  const random = defineRandomLayers(tf);
  const Conv1D = defineCausalConv1D(tf);
  const Conv2D = defineDilatedConv2D(tf);
  const normalizations = defineAnyRankNormalization(tf);
  const sequence = defineSequenceLayers(tf);
  const convTranspose = defineConvTranspose(tf);
  const Normalization = defineNormalization(tf);
  const augment = defineAugmentLayers(tf);
  const depthwise = defineDepthwiseLayers(tf);
  factories = {
    subtract: (config) => new Subtract(config),
    // Keras 3's GRU (reset_after=true by default), ReLU with negative_slope and threshold, ELU with any alpha.
    gru: (config) => new GRU(config as unknown as ConstructorParameters<typeof GRU>[0]),
    reLU: (config) => new ReLU(config as ConstructorParameters<typeof ReLU>[0]),
    elu: (config) => new ELU(config as ConstructorParameters<typeof ELU>[0]),
    // Seeded noise, spatial dropout and augmentation, active only while training.
    gaussianNoise: (config) => new random.GaussianNoise!(config),
    gaussianDropout: (config) => new random.GaussianDropout!(config),
    spatialDropout1d: (config) => new random.SpatialDropout1D!(config),
    spatialDropout2d: (config) => new random.SpatialDropout2D!(config),
    randomFlip: (config) => new random.RandomFlip!(config),
    randomRotation: (config) => new augment.RandomRotation!(config),
    randomZoom: (config) => new augment.RandomZoom!(config),
    randomTranslation: (config) => new augment.RandomTranslation!(config),
    randomContrast: (config) => new augment.RandomContrast!(config),
    randomCrop: (config) => new augment.RandomCrop!(config),
    // Conv1D with padding=causal, which tfjs-layers cannot run.
    conv1d: (config) => new Conv1D(config),
    // Conv2D with dilation_rate above 1, which tfjs-layers cannot train (a fused op whose gradient refuses dilation).
    conv2d: (config) => new Conv2D(config),
    // Batch and layer normalisation of rank 5 and more, which tfjs-layers refuses (the runtime picks these for such inputs).
    batchNormalization: (config) => new normalizations.BatchNormalization(config),
    layerNormalization: (config) => new normalizations.LayerNormalization(config),
    // The 1-D padding, cropping and upsampling layers tfjs-layers lacks.
    zeroPadding1d: (config) => new sequence.ZeroPadding1D!(config),
    cropping1D: (config) => new sequence.Cropping1D!(config),
    upSampling1d: (config) => new sequence.UpSampling1D!(config),
    // Transposed convolutions with output_padding or dilation, and the 1-D one tfjs-layers lacks.
    conv2dTranspose: (config) => new convTranspose.Conv2DTranspose(config as ConstructorParameters<typeof convTranspose.Conv2DTranspose>[0]),
    // Keras's Normalization, given its mean and variance or adapted to the training data (adaptNormalization).
    normalization: (config) => new Normalization(config as ConstructorParameters<typeof Normalization>[0]),
    conv1dTranspose: (config) => new convTranspose.Conv1DTranspose(config as ConstructorParameters<typeof convTranspose.Conv1DTranspose>[0]),
    // tfjs's DepthwiseConv2D and SeparableConv2D where their depthwise regularizer or pointwise initializer is set, which tfjs mishandles.
    depthwiseConv2d: (config) => new depthwise.DepthwiseConv2D(config),
    separableConv2d: (config) => new depthwise.SeparableConv2D(config),
  };
  made.set(tf, factories);
  return factories;
}

export { customLosses, type LossFn } from './losses.js';
