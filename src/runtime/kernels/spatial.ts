/**
 * Spatial reshaping helpers shared by the convolution gradient kernels.
 * All tensors here are NHWC. Every helper is built from ops the wasm backend
 * already runs natively (pad, slice, reshape), so nothing falls back to JS loops.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Spatial padding of an NHWC tensor: rows above/below, columns left/right. May be negative. */
export interface SpatialPads {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * Crops the negative sides of `pads` off an NHWC tensor and returns the
 * positive sides as an explicit padding for conv2d/depthwiseConv2d, which pad
 * inside XNNPACK without materialising a padded copy.
 */
export function cropAndPad(
  x: tf.Tensor4D,
  pads: SpatialPads,
): { x: tf.Tensor4D; padding: [[0, 0], [number, number], [number, number], [0, 0]] } {
  const [b, h, w, c] = x.shape;
  const cropTop = Math.max(-pads.top, 0);
  const cropLeft = Math.max(-pads.left, 0);
  const keptH = h - cropTop - Math.max(-pads.bottom, 0);
  const keptW = w - cropLeft - Math.max(-pads.right, 0);
  const cropped =
    keptH < h || keptW < w ? tf.slice(x, [0, cropTop, cropLeft, 0], [b, keptH, keptW, c]) : x;
  return {
    x: cropped,
    padding: [
      [0, 0],
      [Math.max(pads.top, 0), Math.max(pads.bottom, 0)],
      [Math.max(pads.left, 0), Math.max(pads.right, 0)],
      [0, 0],
    ],
  };
}

/**
 * Inserts (stride - 1) zeros after every row and column of an NHWC tensor, so a
 * strided convolution's output gradient lines up with its input positions.
 * The result is [b, h*strideH, w*strideW, c]; the trailing zeros are the
 * caller's to crop or keep (they fold into the next padOrCrop call).
 */
export function spreadByStride(x: tf.Tensor4D, strideH: number, strideW: number): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  let out: tf.Tensor = x;
  if (strideH > 1) {
    // Rows: view as [b*h, 1, w*c], pad the middle axis to strideH, fold back.
    out = tf.pad(tf.reshape(out, [b * h, 1, w * c]), [
      [0, 0],
      [0, strideH - 1],
      [0, 0],
    ]);
  }
  const rows = h * strideH;
  if (strideW > 1) {
    // Columns: view as [b*rows*w, 1, c], pad the middle axis to strideW, fold back.
    out = tf.pad(tf.reshape(out, [b * rows * w, 1, c]), [
      [0, 0],
      [0, strideW - 1],
      [0, 0],
    ]);
  }
  return tf.reshape(out, [b, rows, w * strideW, c]);
}

/** A [height, width] pair from an attribute that may be one number. */
export function pair(value: number | readonly [number, number]): [number, number] {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}
