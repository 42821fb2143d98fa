/**
 * Geometry of a 2-D convolution's gradients, derived once from the forward
 * convolution's attributes (tfjs's own computeConv2DInfo, so 'same'/'valid'/
 * explicit padding and dimRoundingMode mean exactly what the forward op meant).
 *
 * Forward (NHWC): y[b,i,j,o] = sum over p,q,c of
 *   x[b, i*strideH + p*dilationH - padTop, j*strideW + q*dilationW - padLeft, c] * w[p,q,c,o]
 */
import { backend_util } from '@tensorflow/tfjs-core';
import type { SpatialPads } from './spatial.js';

type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

export interface ConvGeometry {
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  filterH: number;
  filterW: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padTop: number;
  padLeft: number;
}

/**
 * The geometry of a convolution of an input of xShape whose output gradient
 * has dyShape. The output size is taken from dy itself: tfjs sizes the output
 * of a numeric padding with the filter's height on both axes, and the gradient
 * must match the output the forward op really produced.
 */
export function convGeometry(
  xShape: readonly [number, number, number, number],
  dyShape: readonly [number, number, number, number],
  filterShape: readonly [number, number, number, number],
  strides: number | [number, number],
  dilations: number | [number, number],
  pad: Pad,
  dimRoundingMode: Rounding,
  depthwise: boolean,
): ConvGeometry {
  const info = backend_util.computeConv2DInfo(
    [...xShape] as [number, number, number, number],
    [...filterShape] as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
    depthwise,
    'channelsLast',
  );
  return {
    inH: info.inHeight,
    inW: info.inWidth,
    outH: dyShape[1],
    outW: dyShape[2],
    filterH: info.filterHeight,
    filterW: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    dilationH: info.dilationHeight,
    dilationW: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/**
 * Filter gradient as a correlation: the input (batch moved to channels) is
 * correlated with the output gradient used as a filter dilated by the forward
 * stride, stepping by the forward dilation. These pads make that correlation
 * produce exactly filterH x filterW taps (negative = rows the forward op never read).
 */
export function filterGradientPads(g: ConvGeometry): SpatialPads {
  const spanH = (g.filterH - 1) * g.dilationH + (g.outH - 1) * g.strideH + 1;
  const spanW = (g.filterW - 1) * g.dilationW + (g.outW - 1) * g.strideW + 1;
  return {
    top: g.padTop,
    bottom: spanH - g.inH - g.padTop,
    left: g.padLeft,
    right: spanW - g.inW - g.padLeft,
  };
}

/**
 * Input gradient as a correlation of the output gradient, spread by the
 * forward stride (spreadByStride, outH*strideH rows), with the spatially
 * flipped filter at the forward dilation. These pads make it produce exactly
 * inH x inW positions.
 */
export function inputGradientPads(g: ConvGeometry): SpatialPads {
  return {
    top: (g.filterH - 1) * g.dilationH - g.padTop,
    bottom: g.inH + g.padTop - g.outH * g.strideH,
    left: (g.filterW - 1) * g.dilationW - g.padLeft,
    right: g.inW + g.padLeft - g.outW * g.strideW,
  };
}
