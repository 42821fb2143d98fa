/**
 * Gradients of a 2-D convolution (NHWC), written as forward convolutions so
 * they run on the wasm backend's XNNPACK Conv2D instead of scalar loops.
 * Both support dilation, so they also serve the dilated-conv gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import { depthwiseFilterGradient } from './depthwise-gradients.js';
import { convGeometry, filterGradientPads, inputGradientPads } from './geometry.js';
import { cropAndPad, spreadByStride } from './spatial.js';

export type ConvPad = Parameters<typeof tf.conv2d>[3];
export type Rounding = 'floor' | 'round' | 'ceil' | undefined;

export interface ConvAttrs {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: ConvPad;
  dimRoundingMode?: Rounding;
}

/**
 * dL/dw for y = conv2d(x, w). Batch becomes the contracted channel axis:
 * x [B,H,W,C] -> [C,H,W,B] is correlated with dy [B,oh,ow,O] -> [oh,ow,B,O]
 * (dilated by the forward stride, stepping by the forward dilation), giving
 * [C,fh,fw,O] -> [fh,fw,C,O].
 *
 * A one-channel input (a network's first layer) is a depthwise convolution
 * with multiplier O, whose gradient kernel is much faster here: the regular
 * one gives XNNPACK only fh*fw output rows to share out, and its operator
 * creation transposes and packs all of dy as a filter, which costs more than the product.
 */
export function conv2dFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  attrs: ConvAttrs,
): tf.Tensor4D {
  if (x.shape[3] === 1) return depthwiseFilterGradient(x, dy, filterShape, attrs);
  return tf.tidy(() => {
    const g = convGeometry(x.shape, dy.shape, filterShape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, false);
    const input = cropAndPad(tf.transpose(x, [3, 1, 2, 0]), filterGradientPads(g));
    const kernel = tf.transpose(dy, [1, 2, 0, 3]);
    const taps = tf.conv2d(input.x, kernel, [g.dilationH, g.dilationW], input.padding, 'NHWC', [g.strideH, g.strideW]);
    return tf.transpose(taps, [1, 2, 0, 3]);
  });
}

/**
 * dL/dx for y = conv2d(x, w): the output gradient, spread by the stride, is
 * correlated with the spatially flipped filter whose in/out channels are swapped.
 */
export function conv2dInputGradient(
  xShape: [number, number, number, number],
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  attrs: ConvAttrs,
): tf.Tensor4D {
  return tf.tidy(() => {
    const g = convGeometry(xShape, dy.shape, filter.shape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, false);
    const input = cropAndPad(spreadByStride(dy, g.strideH, g.strideW), inputGradientPads(g));
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
    return tf.conv2d(input.x, flipped, 1, input.padding, 'NHWC', [g.dilationH, g.dilationW]);
  });
}
