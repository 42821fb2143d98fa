/**
 * The gradient of Unpack (unstack) for a single slice. TensorFlow.js hands a
 * one-output op's gradient over as one tensor rather than a list, and the
 * stock gradient passes it to stack(), which refuses it: every recurrent
 * layer over a sequence of one time step then fails to train behind a layer
 * with weights. One slice's gradient is that slice with its axis put back.
 */
import { expandDims, Unpack } from '@tensorflow/tfjs-core';
import type { Tensor, UnpackAttrs } from '@tensorflow/tfjs-core';
import { overrideGradient } from './gradient-override.js';

/** Safe to call any number of times. */
export function registerUnpackGradient(): void {
  overrideGradient(Unpack, (stock, dy, saved, attrs) => {
    if (Array.isArray(dy)) return stock(dy, saved, attrs);
    const { axis } = attrs as unknown as UnpackAttrs;
    return { value: () => expandDims(dy as Tensor, axis) };
  });
}
