/**
 * Gradients of a depthwise 2-D convolution (NHWC, filter [fh,fw,C,M], output
 * channel c*M+m), written as forward depthwise convolutions so they run on the
 * wasm backend's XNNPACK kernels.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ConvAttrs } from './conv2d-gradients.js';
import { convGeometry, filterGradientPads, inputGradientPads } from './geometry.js';
import { cropAndPad, spreadByStride } from './spatial.js';

/**
 * dL/dw: x [B,H,W,C] -> [1,H,W,B*C] is correlated channel by channel with
 * dy [B,oh,ow,C*M] -> [oh,ow,B*C,M]; the B copies of each tap are then summed.
 */
export function depthwiseFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  attrs: ConvAttrs,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [batch, inH, inW, channels] = x.shape;
    const [filterH, filterW, , multiplier] = filterShape;
    const [, outH, outW] = dy.shape;
    const g = convGeometry(x.shape, dy.shape, filterShape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
    const packed = tf.reshape(tf.transpose(x, [1, 2, 0, 3]), [1, inH, inW, batch * channels]) as tf.Tensor4D;
    const input = cropAndPad(packed, filterGradientPads(g));
    const kernel = tf.reshape(
      tf.transpose(tf.reshape(dy, [batch, outH, outW, channels, multiplier]), [1, 2, 0, 3, 4]),
      [outH, outW, batch * channels, multiplier],
    ) as tf.Tensor4D;
    const taps = tf.depthwiseConv2d(input.x, kernel, [g.dilationH, g.dilationW], input.padding, 'NHWC', [g.strideH, g.strideW]);
    const perBatch = tf.reshape(taps, [filterH, filterW, batch, channels * multiplier]);
    return tf.reshape(tf.sum(perBatch, 2), filterShape) as tf.Tensor4D;
  });
}

/**
 * dL/dx: the spread output gradient is correlated with the flipped filter
 * (one channel per output channel), then the M outputs of each input channel are summed.
 */
export function depthwiseInputGradient(
  xShape: [number, number, number, number],
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  attrs: ConvAttrs,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [batch, inH, inW, channels] = xShape;
    const [filterH, filterW, , multiplier] = filter.shape;
    const g = convGeometry(xShape, dy.shape, filter.shape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
    const input = cropAndPad(spreadByStride(dy, g.strideH, g.strideW), inputGradientPads(g));
    const flipped = tf.reshape(tf.reverse(filter, [0, 1]), [filterH, filterW, channels * multiplier, 1]) as tf.Tensor4D;
    const perOutput = tf.depthwiseConv2d(input.x, flipped, 1, input.padding, 'NHWC', [g.dilationH, g.dilationW]);
    if (multiplier === 1) return perOutput;
    return tf.sum(tf.reshape(perOutput, [batch, inH, inW, channels, multiplier]), 4) as tf.Tensor4D;
  });
}
