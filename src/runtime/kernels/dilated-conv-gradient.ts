/**
 * The gradient of a dilated convolution, which TensorFlow.js lacks on every
 * backend ("dilation rates greater than 1 are not yet supported in
 * gradients"). mlc's gradient functions (./conv2d-gradients.ts) handle any
 * dilation with forward convolutions, so Conv2D's gradient is replaced by one
 * that uses them when the dilation is above 1 and TensorFlow.js's own
 * otherwise. This covers conv1d layers and conv2d layers with an activation;
 * a conv2d layer without one runs tfjs-layers' fused kernel, whose gradient
 * cannot be replaced (check refuses that layer: see checkTrainable in src/ir/compile-checks.ts).
 */
import { backend_util, Conv2D } from '@tensorflow/tfjs-core';
import type { Conv2DAttrs, Tensor4D } from '@tensorflow/tfjs-core';
import { conv2dFilterGradient, conv2dInputGradient } from './conv2d-gradients.js';
import { overrideGradient } from './gradient-override.js';

/** Safe to call any number of times. */
export function registerDilatedConvGradient(): void {
  overrideGradient(Conv2D, (stock, dy, saved, attrs) => {
    const a = attrs as unknown as Conv2DAttrs;
    if (backend_util.tupleValuesAreOne(a.dilations) || a.dataFormat === 'NCHW') return stock(dy, saved, attrs);
    const [x, filter] = saved as [Tensor4D, Tensor4D];
    const convAttrs = { strides: a.strides, dilations: a.dilations, pad: a.pad, dimRoundingMode: a.dimRoundingMode };
    return {
      x: () => conv2dInputGradient(x.shape, dy as Tensor4D, filter, convAttrs),
      filter: () => conv2dFilterGradient(x, dy as Tensor4D, filter.shape, convAttrs),
    };
  });
}
