/**
 * Every layer kind, in several argument combinations, against the same layer
 * built by tfjs-layers: output shape, Keras class, parameter counts and the
 * weight list (names, shapes, trainability, order) must be identical.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ArgValue, DType, Shape } from '../../src/ir/types.js';
import { findLayer } from '../../src/layers/index.js';
import { customLayers } from '../../src/runtime/custom-layers/index.js';
import { inferLayer, makeNode, tfjsFacts } from './helpers.js';

interface Case {
  title: string;
  kind: string;
  args: Record<string, ArgValue>;
  /** Input shape without the batch dimension. */
  input: Shape;
  dtype?: DType;
  /** The same layer in tfjs-layers, named 'L'. */
  tfjs: () => tf.layers.Layer;
  /** Keras's documented output shape, where tfjs-layers differs from Keras. */
  kerasShape?: Shape;
}

const L = { name: 'L' };
const lstm8 = () => tf.layers.lstm({ name: 'lstm', units: 8 });

const CASES: Case[] = [
  { title: 'dense on a flat input', kind: 'dense', args: { units: 10, activation: 'softmax' }, input: [784], tfjs: () => tf.layers.dense({ ...L, units: 10, activation: 'softmax' }) },
  { title: 'dense without bias', kind: 'dense', args: { units: 3, use_bias: false }, input: [5], tfjs: () => tf.layers.dense({ ...L, units: 3, useBias: false }) },
  { title: 'dense on a rank-3 input', kind: 'dense', args: { units: 8 }, input: [5, 16], tfjs: () => tf.layers.dense({ ...L, units: 8 }) },
  { title: 'dense on a rank-4 input with a ? axis', kind: 'dense', args: { units: 4 }, input: [null, 3, 6], tfjs: () => tf.layers.dense({ ...L, units: 4 }) },

  { title: 'conv2d 5x5 valid', kind: 'conv2d', args: { filters: 6, kernel_size: 5, activation: 'relu' }, input: [28, 28, 1], tfjs: () => tf.layers.conv2d({ ...L, filters: 6, kernelSize: 5, activation: 'relu' }) },
  { title: 'conv2d strides 2 same', kind: 'conv2d', args: { filters: 16, kernel_size: 3, strides: 2, padding: 'same' }, input: [28, 28, 3], tfjs: () => tf.layers.conv2d({ ...L, filters: 16, kernelSize: 3, strides: 2, padding: 'same' }) },
  { title: 'conv2d strides 3 same on an odd size', kind: 'conv2d', args: { filters: 2, kernel_size: 4, strides: 3, padding: 'same' }, input: [10, 11, 2], tfjs: () => tf.layers.conv2d({ ...L, filters: 2, kernelSize: 4, strides: 3, padding: 'same' }) },
  { title: 'conv2d strides 2 valid on an odd size', kind: 'conv2d', args: { filters: 4, kernel_size: 3, strides: 2 }, input: [15, 16, 3], tfjs: () => tf.layers.conv2d({ ...L, filters: 4, kernelSize: 3, strides: 2 }) },
  { title: 'conv2d dilation 2 valid', kind: 'conv2d', args: { filters: 8, kernel_size: 3, dilation_rate: 2, activation: 'relu' }, input: [32, 32, 3], tfjs: () => tf.layers.conv2d({ ...L, filters: 8, kernelSize: 3, dilationRate: 2, activation: 'relu' }) },
  { title: 'conv2d dilation [2, 3] same', kind: 'conv2d', args: { filters: 8, kernel_size: 3, dilation_rate: [2, 3], padding: 'same', activation: 'relu' }, input: [12, 12, 3], tfjs: () => tf.layers.conv2d({ ...L, filters: 8, kernelSize: 3, dilationRate: [2, 3], padding: 'same', activation: 'relu' }) },
  { title: 'conv2d non-square kernel and strides, no bias', kind: 'conv2d', args: { filters: 5, kernel_size: [3, 5], strides: [2, 1], use_bias: false }, input: [20, 17, 4], tfjs: () => tf.layers.conv2d({ ...L, filters: 5, kernelSize: [3, 5], strides: [2, 1], useBias: false }) },
  { title: 'conv2d on unknown height and width', kind: 'conv2d', args: { filters: 4, kernel_size: 3 }, input: [null, null, 3], tfjs: () => tf.layers.conv2d({ ...L, filters: 4, kernelSize: 3 }) },

  { title: 'conv1d valid', kind: 'conv1d', args: { filters: 64, kernel_size: 3, activation: 'relu' }, input: [100, 8], tfjs: () => tf.layers.conv1d({ ...L, filters: 64, kernelSize: 3, activation: 'relu' }) },
  { title: 'conv1d strides 2 same', kind: 'conv1d', args: { filters: 4, kernel_size: 5, strides: 2, padding: 'same' }, input: [31, 2], tfjs: () => tf.layers.conv1d({ ...L, filters: 4, kernelSize: 5, strides: 2, padding: 'same' }) },
  { title: 'conv1d dilation 3', kind: 'conv1d', args: { filters: 4, kernel_size: 3, dilation_rate: 3 }, input: [20, 2], tfjs: () => tf.layers.conv1d({ ...L, filters: 4, kernelSize: 3, dilationRate: 3 }) },
  { title: 'conv1d causal', kind: 'conv1d', args: { filters: 4, kernel_size: 3, padding: 'causal' }, input: [10, 2], kerasShape: [null, 10, 4], tfjs: () => customLayers(tf).conv1d({ ...L, filters: 4, kernelSize: 3, padding: 'causal' }) },
  { title: 'conv1d causal dilation 2', kind: 'conv1d', args: { filters: 4, kernel_size: 3, padding: 'causal', dilation_rate: 2 }, input: [10, 2], kerasShape: [null, 10, 4], tfjs: () => customLayers(tf).conv1d({ ...L, filters: 4, kernelSize: 3, padding: 'causal', dilationRate: 2 }) },
  { title: 'conv1d causal strides 2', kind: 'conv1d', args: { filters: 4, kernel_size: 3, padding: 'causal', strides: 2 }, input: [9, 2], kerasShape: [null, 5, 4], tfjs: () => customLayers(tf).conv1d({ ...L, filters: 4, kernelSize: 3, padding: 'causal', strides: 2 }) },
  { title: 'conv1d on a ? length', kind: 'conv1d', args: { filters: 4, kernel_size: 3 }, input: [null, 8], tfjs: () => tf.layers.conv1d({ ...L, filters: 4, kernelSize: 3 }) },

  { title: 'maxpool2d 2 (strides default to the pool)', kind: 'maxpool2d', args: { pool_size: 2 }, input: [24, 24, 32], tfjs: () => tf.layers.maxPooling2d({ ...L, poolSize: 2 }) },
  { title: 'maxpool2d 3 strides 2 on an odd size', kind: 'maxpool2d', args: { pool_size: 3, strides: 2 }, input: [13, 13, 8], tfjs: () => tf.layers.maxPooling2d({ ...L, poolSize: 3, strides: 2 }) },
  { title: 'maxpool2d 3 same', kind: 'maxpool2d', args: { pool_size: 3, padding: 'same' }, input: [10, 10, 4], tfjs: () => tf.layers.maxPooling2d({ ...L, poolSize: 3, padding: 'same' }) },
  { title: 'maxpool2d [2, 3] valid', kind: 'maxpool2d', args: { pool_size: [2, 3] }, input: [9, 9, 1], tfjs: () => tf.layers.maxPooling2d({ ...L, poolSize: [2, 3] }) },
  { title: 'maxpool2d default pool size', kind: 'maxpool2d', args: {}, input: [7, 7, 1], tfjs: () => tf.layers.maxPooling2d({ ...L }) },
  { title: 'avgpool2d 2 strides 1', kind: 'avgpool2d', args: { pool_size: 2, strides: 1 }, input: [5, 5, 2], tfjs: () => tf.layers.averagePooling2d({ ...L, poolSize: 2, strides: 1 }) },
  { title: 'avgpool2d 2 same on an odd size', kind: 'avgpool2d', args: { pool_size: 2, padding: 'same' }, input: [7, 5, 2], tfjs: () => tf.layers.averagePooling2d({ ...L, poolSize: 2, padding: 'same' }) },
  { title: 'maxpool1d 2', kind: 'maxpool1d', args: { pool_size: 2 }, input: [11, 4], tfjs: () => tf.layers.maxPooling1d({ ...L, poolSize: 2 }) },
  { title: 'maxpool1d 3 strides 1 same', kind: 'maxpool1d', args: { pool_size: 3, strides: 1, padding: 'same' }, input: [10, 4], tfjs: () => tf.layers.maxPooling1d({ ...L, poolSize: 3, strides: 1, padding: 'same' }) },
  { title: 'avgpool1d 4', kind: 'avgpool1d', args: { pool_size: 4 }, input: [9, 3], tfjs: () => tf.layers.averagePooling1d({ ...L, poolSize: 4 }) },

  { title: 'globalmaxpool on a sequence', kind: 'globalmaxpool', args: {}, input: [10, 4], tfjs: () => tf.layers.globalMaxPooling1d(L) },
  { title: 'globalmaxpool on an image', kind: 'globalmaxpool', args: {}, input: [7, 7, 16], tfjs: () => tf.layers.globalMaxPooling2d(L) },
  { title: 'globalavgpool on a sequence', kind: 'globalavgpool', args: {}, input: [null, 6], tfjs: () => tf.layers.globalAveragePooling1d(L) },
  { title: 'globalavgpool on an image', kind: 'globalavgpool', args: {}, input: [4, 4, 32], tfjs: () => tf.layers.globalAveragePooling2d(L) },

  { title: 'flatten an image', kind: 'flatten', args: {}, input: [7, 7, 64], tfjs: () => tf.layers.flatten(L) },
  { title: 'dropout', kind: 'dropout', args: { rate: 0.5 }, input: [128], tfjs: () => tf.layers.dropout({ ...L, rate: 0.5 }) },
  { title: 'activation', kind: 'activation', args: { activation: 'relu' }, input: [5, 5], tfjs: () => tf.layers.activation({ ...L, activation: 'relu' }) },

  { title: 'batchnorm on an image', kind: 'batchnorm', args: { momentum: 0.9 }, input: [28, 28, 32], tfjs: () => tf.layers.batchNormalization({ ...L, momentum: 0.9 }) },
  { title: 'batchnorm on a flat input', kind: 'batchnorm', args: {}, input: [64], tfjs: () => tf.layers.batchNormalization(L) },
  // An explicit axis: the last one, the only one TensorFlow.js can train (check refuses the others).
  { title: 'batchnorm on axis 2', kind: 'batchnorm', args: { axis: 2, epsilon: 1e-5 }, input: [10, 4], tfjs: () => tf.layers.batchNormalization({ ...L, axis: 2, epsilon: 1e-5 }) },
  { title: 'layernorm', kind: 'layernorm', args: {}, input: [10, 16], tfjs: () => tf.layers.layerNormalization(L) },
  { title: 'layernorm epsilon', kind: 'layernorm', args: { epsilon: 1e-6 }, input: [32], tfjs: () => tf.layers.layerNormalization({ ...L, epsilon: 1e-6 }) },

  { title: 'embedding of token ids', kind: 'embedding', args: { input_dim: 1000, output_dim: 64 }, input: [20], dtype: 'int32', tfjs: () => tf.layers.embedding({ ...L, inputDim: 1000, outputDim: 64 }) },
  { title: 'embedding of a ? length', kind: 'embedding', args: { input_dim: 50, output_dim: 8 }, input: [null], dtype: 'int32', tfjs: () => tf.layers.embedding({ ...L, inputDim: 50, outputDim: 8 }) },

  { title: 'simplernn', kind: 'simplernn', args: { units: 32 }, input: [10, 8], tfjs: () => tf.layers.simpleRNN({ ...L, units: 32 }) },
  { title: 'simplernn return_sequences on a ? length', kind: 'simplernn', args: { units: 5, return_sequences: true }, input: [null, 3], tfjs: () => tf.layers.simpleRNN({ ...L, units: 5, returnSequences: true }) },
  { title: 'lstm', kind: 'lstm', args: { units: 12 }, input: [20, 16], tfjs: () => tf.layers.lstm({ ...L, units: 12 }) },
  { title: 'lstm return_sequences without bias', kind: 'lstm', args: { units: 7, return_sequences: true, use_bias: false }, input: [9, 3], tfjs: () => tf.layers.lstm({ ...L, units: 7, returnSequences: true, useBias: false }) },
  { title: 'gru (reset_after=false)', kind: 'gru', args: { units: 16, reset_after: false }, input: [10, 8], tfjs: () => tf.layers.gru({ ...L, units: 16 }) },
  // tfjs-layers lacks Keras 3's default GRU: mlc's own layer (src/runtime/custom-layers) is the reference built.
  { title: 'gru (Keras 3, reset_after=true)', kind: 'gru', args: { units: 16 }, input: [10, 8], tfjs: () => customLayers(tf).gru({ ...L, units: 16 }) },
  { title: 'gru return_sequences', kind: 'gru', args: { units: 4, return_sequences: true }, input: [6, 2], tfjs: () => customLayers(tf).gru({ ...L, units: 4, returnSequences: true }) },

  ...(['concat', 'sum', 'mul', 'ave'] as const).map((mode): Case => ({
    title: `bidirectional lstm merge_mode=${mode}`,
    kind: 'bidirectional',
    args: { layer: { kind: 'lstm', args: { units: 8 } }, merge_mode: mode },
    input: [10, 4],
    tfjs: () => tf.layers.bidirectional({ ...L, layer: lstm8() as tf.RNN, mergeMode: mode }),
  })),
  {
    title: 'bidirectional gru return_sequences',
    kind: 'bidirectional',
    args: { layer: { kind: 'gru', args: { units: 6, return_sequences: true } } },
    input: [null, 5],
    tfjs: () => tf.layers.bidirectional({ ...L, layer: customLayers(tf).gru({ name: 'gru', units: 6, returnSequences: true }) as tf.RNN }),
  },

  { title: 'reshape a flat image', kind: 'reshape', args: { target_shape: [28, 28, 1] }, input: [784], tfjs: () => tf.layers.reshape({ ...L, targetShape: [28, 28, 1] }) },
  // tfjs-layers leaves the -1 unresolved in its static shape; the Keras
  // Reshape docs give this very example: Input(shape=(12,)) then
  // Reshape((-1, 2, 2)) has shape (None, 3, 2, 2).
  { title: 'reshape with -1', kind: 'reshape', args: { target_shape: [-1, 2, 2] }, input: [12], tfjs: () => tf.layers.reshape({ ...L, targetShape: [-1, 2, 2] }), kerasShape: [null, 3, 2, 2] },
  { title: 'reshape with -1 of an unknown size', kind: 'reshape', args: { target_shape: [-1, 4] }, input: [null, 8], tfjs: () => tf.layers.reshape({ ...L, targetShape: [-1, 4] }) },
  { title: 'upsample 2', kind: 'upsample', args: { size: 2 }, input: [7, 7, 3], tfjs: () => tf.layers.upSampling2d({ ...L, size: [2, 2] }) },
  { title: 'upsample [2, 3]', kind: 'upsample', args: { size: [2, 3] }, input: [4, 5, 1], tfjs: () => tf.layers.upSampling2d({ ...L, size: [2, 3] }) },

  { title: 'leakyrelu (Keras 3 default slope 0.3)', kind: 'leakyrelu', args: {}, input: [5, 4], tfjs: () => tf.layers.leakyReLU({ ...L, alpha: 0.3 }) },
  { title: 'prelu on an image, alpha per value', kind: 'prelu', args: {}, input: [6, 6, 3], tfjs: () => tf.layers.prelu(L) },
  { title: 'prelu shared over height and width', kind: 'prelu', args: { shared_axes: [1, 2] }, input: [6, 6, 3], tfjs: () => tf.layers.prelu({ ...L, sharedAxes: [1, 2] }) },
  { title: 'relu max_value', kind: 'relu', args: { max_value: 6 }, input: [7], tfjs: () => tf.layers.reLU({ ...L, maxValue: 6 }) },
  { title: 'softmax on the last axis, named', kind: 'softmax', args: { axis: 2 }, input: [4, 3], tfjs: () => tf.layers.softmax({ ...L, axis: 2 }) },
  { title: 'elu', kind: 'elu', args: {}, input: [8], tfjs: () => tf.layers.elu(L) },
  { title: 'elu alpha 0.5 (mlc\'s own ELU: tfjs refuses alpha ≠ 1)', kind: 'elu', args: { alpha: 0.5 }, input: [8], tfjs: () => customLayers(tf).elu({ ...L, alpha: 0.5 }) },
  { title: 'relu threshold and negative_slope (mlc\'s own ReLU)', kind: 'relu', args: { threshold: 0.5, negative_slope: 0.1 }, input: [3, 2], tfjs: () => customLayers(tf).reLU({ ...L, threshold: 0.5, negativeSlope: 0.1 }) },

  { title: 'conv2dtranspose valid', kind: 'conv2dtranspose', args: { filters: 8, kernel_size: 3 }, input: [7, 7, 4], tfjs: () => tf.layers.conv2dTranspose({ ...L, filters: 8, kernelSize: 3 }) },
  { title: 'conv2dtranspose strides 2 same', kind: 'conv2dtranspose', args: { filters: 16, kernel_size: 3, strides: 2, padding: 'same', activation: 'relu' }, input: [7, 7, 32], tfjs: () => tf.layers.conv2dTranspose({ ...L, filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }) },
  { title: 'conv2dtranspose strides 2 valid, kernel smaller than the stride, no bias', kind: 'conv2dtranspose', args: { filters: 2, kernel_size: [1, 3], strides: 2, use_bias: false }, input: [5, 4, 3], tfjs: () => tf.layers.conv2dTranspose({ ...L, filters: 2, kernelSize: [1, 3], strides: 2, useBias: false }) },
  // tfjs-layers' Conv2DTranspose has no output_padding or dilation and there is no Conv1DTranspose: mlc's own layers
  // are built, and the shapes are Keras 3's (keras/src/backend/common/backend_utils.py, _get_output_shape_given_tf_padding):
  // valid (n − 1)·s + K + output_padding, same (n − 1)·s + K mod 2 + output_padding, K = (k − 1)·dilation + 1.
  { title: 'conv2dtranspose output_padding valid: (7 − 1)·2 + 3 + 1 = 16', kind: 'conv2dtranspose', args: { filters: 4, kernel_size: 3, strides: 2, output_padding: [1, 0] }, input: [7, 7, 2], kerasShape: [null, 16, 15, 4], tfjs: () => customLayers(tf).conv2dTranspose({ ...L, filters: 4, kernelSize: 3, strides: 2, outputPadding: [1, 0] }) },
  { title: 'conv2dtranspose output_padding same: (7 − 1)·2 + 1 + p', kind: 'conv2dtranspose', args: { filters: 4, kernel_size: 3, strides: 2, padding: 'same', output_padding: [0, 1] }, input: [7, 7, 2], kerasShape: [null, 13, 14, 4], tfjs: () => customLayers(tf).conv2dTranspose({ ...L, filters: 4, kernelSize: 3, strides: 2, padding: 'same', outputPadding: [0, 1] }) },
  { title: 'conv2dtranspose dilation 2 valid: 5 + (3 − 1)·2 = 9', kind: 'conv2dtranspose', args: { filters: 3, kernel_size: 3, dilation_rate: 2 }, input: [5, 5, 2], kerasShape: [null, 9, 9, 3], tfjs: () => customLayers(tf).conv2dTranspose({ ...L, filters: 3, kernelSize: 3, dilationRate: 2 }) },
  { title: 'conv1dtranspose valid strides 2: 8·2 + 1', kind: 'conv1dtranspose', args: { filters: 6, kernel_size: 3, strides: 2 }, input: [8, 4], kerasShape: [null, 17, 6], tfjs: () => customLayers(tf).conv1dTranspose({ ...L, filters: 6, kernelSize: 3, strides: 2 }) },
  { title: 'conv1dtranspose same, output_padding, no bias', kind: 'conv1dtranspose', args: { filters: 2, kernel_size: 4, strides: 3, padding: 'same', output_padding: [2], use_bias: false }, input: [5, 3], kerasShape: [null, 14, 2], tfjs: () => customLayers(tf).conv1dTranspose({ ...L, filters: 2, kernelSize: 4, strides: 3, padding: 'same', outputPadding: [2], useBias: false }) },
  { title: 'conv1dtranspose on a ? length', kind: 'conv1dtranspose', args: { filters: 2, kernel_size: 3 }, input: [null, 3], tfjs: () => customLayers(tf).conv1dTranspose({ ...L, filters: 2, kernelSize: 3 }) },
  { title: 'separableconv2d same', kind: 'separableconv2d', args: { filters: 16, kernel_size: 3, padding: 'same' }, input: [10, 10, 8], tfjs: () => tf.layers.separableConv2d({ ...L, filters: 16, kernelSize: 3, padding: 'same' }) },
  { title: 'separableconv2d depth_multiplier 2 strides 2', kind: 'separableconv2d', args: { filters: 4, kernel_size: 3, strides: 2, depth_multiplier: 2 }, input: [9, 9, 3], tfjs: () => tf.layers.separableConv2d({ ...L, filters: 4, kernelSize: 3, strides: 2, depthMultiplier: 2 }) },
  { title: 'depthwiseconv2d', kind: 'depthwiseconv2d', args: { kernel_size: 3 }, input: [8, 8, 6], tfjs: () => tf.layers.depthwiseConv2d({ ...L, kernelSize: 3 }) },
  { title: 'depthwiseconv2d depth_multiplier 3 same no bias', kind: 'depthwiseconv2d', args: { kernel_size: 5, depth_multiplier: 3, padding: 'same', use_bias: false }, input: [8, 8, 2], tfjs: () => tf.layers.depthwiseConv2d({ ...L, kernelSize: 5, depthMultiplier: 3, padding: 'same', useBias: false }) },

  { title: 'cropping2d one number', kind: 'cropping2d', args: { cropping: [2] }, input: [10, 9, 3], tfjs: () => tf.layers.cropping2D({ ...L, cropping: 2 }) },
  { title: 'cropping2d top, bottom, left, right', kind: 'cropping2d', args: { cropping: [1, 0, 2, 3] }, input: [10, 9, 3], tfjs: () => tf.layers.cropping2D({ ...L, cropping: [[1, 0], [2, 3]] }) },
  // tfjs-layers has no 1-D padding, cropping or upsampling: mlc's own layers are built, shapes per Keras's docs.
  { title: 'zeropadding1d [2, 1]', kind: 'zeropadding1d', args: { padding: [2, 1] }, input: [5, 3], kerasShape: [null, 8, 3], tfjs: () => customLayers(tf).zeroPadding1d({ ...L, padding: [2, 1] }) },
  { title: 'cropping1d 1', kind: 'cropping1d', args: { cropping: [1] }, input: [5, 3], kerasShape: [null, 3, 3], tfjs: () => customLayers(tf).cropping1D({ ...L, cropping: [1, 1] }) },
  { title: 'upsampling1d 3', kind: 'upsampling1d', args: { size: 3 }, input: [4, 2], kerasShape: [null, 12, 2], tfjs: () => customLayers(tf).upSampling1d({ ...L, size: 3 }) },
  { title: 'repeatvector', kind: 'repeatvector', args: { n: 4 }, input: [6], tfjs: () => tf.layers.repeatVector({ ...L, n: 4 }) },
  { title: 'permute a sequence', kind: 'permute', args: { dims: [2, 1] }, input: [5, 3], tfjs: () => tf.layers.permute({ ...L, dims: [2, 1] }) },
  { title: 'permute an image', kind: 'permute', args: { dims: [3, 1, 2] }, input: [4, 5, 2], tfjs: () => tf.layers.permute({ ...L, dims: [3, 1, 2] }) },
  { title: 'rescaling', kind: 'rescaling', args: { scale: 0.5, offset: 1 }, input: [4, 4, 3], tfjs: () => tf.layers.rescaling({ ...L, scale: 0.5, offset: 1 }) },
  { title: 'spatialdropout1d', kind: 'spatialdropout1d', args: { rate: 0.2 }, input: [5, 3], tfjs: () => tf.layers.spatialDropout1d({ ...L, rate: 0.2 }) },
  { title: 'spatialdropout2d (mlc\'s own: tfjs has none)', kind: 'spatialdropout2d', args: { rate: 0.2 }, input: [5, 5, 3], tfjs: () => customLayers(tf).spatialDropout2d({ ...L, rate: 0.2 }) },
  { title: 'gaussiannoise', kind: 'gaussiannoise', args: { stddev: 0.1 }, input: [7], tfjs: () => tf.layers.gaussianNoise({ ...L, stddev: 0.1 }) },
  { title: 'gaussiandropout', kind: 'gaussiandropout', args: { rate: 0.1 }, input: [7], tfjs: () => tf.layers.gaussianDropout({ ...L, rate: 0.1 }) },
  { title: 'randomflip (mlc\'s own: tfjs has none)', kind: 'randomflip', args: { mode: 'horizontal' }, input: [8, 8, 3], tfjs: () => customLayers(tf).randomFlip({ ...L, mode: 'horizontal' }) },
  // tfjs-layers has none of these: mlc's own layers are built; Keras's shapes: the input's, and (height, width) for RandomCrop.
  { title: 'randomrotation', kind: 'randomrotation', args: { factor: 0.1 }, input: [8, 8, 3], kerasShape: [null, 8, 8, 3], tfjs: () => customLayers(tf).randomRotation({ ...L, factor: 0.1 }) },
  { title: 'randomzoom', kind: 'randomzoom', args: { height_factor: 0.2 }, input: [8, 8, 3], kerasShape: [null, 8, 8, 3], tfjs: () => customLayers(tf).randomZoom({ ...L, heightFactor: 0.2 }) },
  { title: 'randomtranslation', kind: 'randomtranslation', args: { height_factor: 0.1, width_factor: 0.2 }, input: [8, 8, 3], kerasShape: [null, 8, 8, 3], tfjs: () => customLayers(tf).randomTranslation({ ...L, heightFactor: 0.1, widthFactor: 0.2 }) },
  { title: 'randomcontrast', kind: 'randomcontrast', args: { factor: 0.2 }, input: [8, 8, 3], kerasShape: [null, 8, 8, 3], tfjs: () => customLayers(tf).randomContrast({ ...L, factor: 0.2 }) },
  { title: 'randomcrop', kind: 'randomcrop', args: { height: 5, width: 6 }, input: [8, 9, 3], kerasShape: [null, 5, 6, 3], tfjs: () => customLayers(tf).randomCrop({ ...L, height: 5, width: 6 }) },
  { title: 'normalization (adapted)', kind: 'normalization', args: {}, input: [6, 4], kerasShape: [null, 6, 4], tfjs: () => customLayers(tf).normalization({ ...L }) },
  { title: 'normalization (given)', kind: 'normalization', args: { mean: 1, variance: 2 }, input: [6, 4], kerasShape: [null, 6, 4], tfjs: () => customLayers(tf).normalization({ ...L, mean: 1, variance: 2 }) },
];

describe('inference agrees with tfjs-layers', () => {
  for (const c of CASES) {
    test(c.title, async () => {
      const expected = await tfjsFacts(c.tfjs(), c.input, c.dtype);
      const got = inferLayer(c.kind, c.args, c.input, c.dtype);
      assert.ok(got.ok, `inference failed: ${JSON.stringify(!got.ok && got.diagnostics)}`);
      assert.deepEqual(got.outputShape, c.kerasShape ?? expected.outputShape, 'output shape');
      const def = findLayer(c.kind)!;
      const rank = c.input.length + 1;
      assert.equal(def.classForRank?.(rank) ?? def.kerasClass, expected.className, 'Keras class (from the input rank, as naming settles it)');
      assert.equal(def.outputRank?.([rank], makeNode(c.kind, c.args).args) ?? rank, got.outputShape.length, 'outputRank agrees with inference');
      assert.equal(got.trainableParams, expected.trainable, 'trainable params');
      assert.equal(got.nonTrainableParams, expected.nonTrainable, 'non-trainable params');
      assert.equal(got.trainableParams + got.nonTrainableParams, expected.params, 'countParams');
      assert.deepEqual(got.weights.map((w) => [w.name, w.shape, w.trainable]), expected.weights, 'weights');
    });
  }
});
