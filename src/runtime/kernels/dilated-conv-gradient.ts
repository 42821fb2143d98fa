/**
 * The gradients of dilated convolutions, which TensorFlow.js lacks on every
 * backend ("dilation rates greater than 1 are not yet supported in
 * gradients"). mlc's gradient functions (./conv2d-gradients.ts,
 * ./depthwise-gradients.ts) handle any dilation with forward convolutions, so
 * the Conv2D and DepthwiseConv2dNative gradients are replaced by ones that use
 * them when the dilation is above 1 and TensorFlow.js's own otherwise. This
 * covers conv1d and conv2d layers (mlc's Conv2D runs a dilated convolution
 * unfused: src/runtime/custom-layers/conv2d.ts) and the depthwise halves of
 * depthwiseconv2d and separableconv2d.
 */
import { backend_util, Conv2D, DepthwiseConv2dNative } from '@tensorflow/tfjs-core';
import type { Conv2DAttrs, DepthwiseConv2dNativeAttrs, Tensor4D } from '@tensorflow/tfjs-core';
import { conv2dFilterGradient, conv2dInputGradient } from './conv2d-gradients.js';
import { depthwiseFilterGradient, depthwiseInputGradient } from './depthwise-gradients.js';
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
  overrideGradient(DepthwiseConv2dNative, (stock, dy, saved, attrs) => {
    const a = attrs as unknown as DepthwiseConv2dNativeAttrs;
    if (a.dilations == null || backend_util.tupleValuesAreOne(a.dilations) || a.dataFormat === 'NCHW') return stock(dy, saved, attrs);
    const [x, filter] = saved as [Tensor4D, Tensor4D];
    const convAttrs = { strides: a.strides, dilations: a.dilations, pad: a.pad, dimRoundingMode: a.dimRoundingMode };
    return {
      x: () => depthwiseInputGradient(x.shape, dy as Tensor4D, filter, convAttrs),
      filter: () => depthwiseFilterGradient(x, dy as Tensor4D, filter.shape, convAttrs),
    };
  });
}
