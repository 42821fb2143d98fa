/**
 * What conv, pooling and upsampling layers share: the input-rank checks with
 * a suggested `reshape`, and sliding a window over the spatial axes.
 */
import type { Dim, IRNode } from '../ir/types.js';
import { checkRank, shapeError, type InferFailure } from './result.js';
import { dilatedSize, formatDims, formatShape, imageReshape, sequenceReshape, windowOutputLength, type Padding } from './shape.js';
import type { InferInput } from './types.js';

/** The input must be (batch, height, width, channels); suggests the reshape that makes it so. */
export function checkImageInput(node: IRNode, input: InferInput): InferFailure | undefined {
  const guess = imageReshape(input.shape);
  const help = guess
    ? `add \`reshape ${guess}\` before it`
    : 'add `reshape HxWxC` before it to lay the values out as height x width x channels';
  return checkRank(node, input, 4, '(batch, height, width, channels)', help);
}

/** The input must be (batch, steps, channels); suggests the reshape that makes it so. */
export function checkSequenceInput(node: IRNode, input: InferInput): InferFailure | undefined {
  const guess = sequenceReshape(input.shape);
  const help = guess
    ? `add \`reshape ${guess}\` before it`
    : 'add `reshape STEPSxC` before it to lay the values out as steps x channels';
  return checkRank(node, input, 3, '(batch, steps, channels)', help);
}

export interface Window {
  /** Kernel or pool size per spatial axis. */
  size: number[];
  strides: number[];
  dilation: number[];
  padding: Padding;
  /** The argument the size came from, for the error span: `kernel_size` or `pool_size`. */
  sizeArg: string;
  /** What to call it in messages: `kernel` or `pool`. */
  noun: string;
}

/**
 * The spatial output dimensions of `window` slid over the input's spatial
 * axes (all but batch and channels), or an error when it does not fit.
 */
export function slideWindow(node: IRNode, input: InferInput, window: Window): Dim[] | InferFailure {
  const spatial = input.shape.slice(1, -1);
  const out = spatial.map((d, i) => windowOutputLength(d, window.size[i], window.strides[i], window.padding, window.dilation[i]));
  if (out.every((d) => d === null || d > 0)) return out;
  const spans = window.size.map((k, i) => dilatedSize(k, window.dilation[i]));
  const dilated = window.dilation.some((d) => d > 1);
  const extent = dilated ? ` with dilation ${formatDims(window.dilation)} spans ${formatDims(spans)} and` : '';
  const fits = spatial.map((d, i) => Math.min(d ?? window.size[i], window.size[i]));
  const smaller = dilated ? `a smaller ${window.noun} or dilation` : `a ${window.noun} of at most ${formatDims(fits)}`;
  return shapeError(
    node,
    `${node.kind} ${window.noun} ${formatDims(window.size)}${extent} is larger than its input ${formatDims(spatial)} (input shape ${formatShape(input.shape)})`,
    `use \`padding=same\` to keep the size, or ${smaller}`,
    window.sizeArg,
  );
}
