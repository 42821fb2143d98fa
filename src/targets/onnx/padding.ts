/**
 * Padding of convolutions and pools. `same` is TensorFlow's: the odd pixel
 * goes after, as with ONNX's SAME_UPPER.
 */
import type { Dim } from '../../ir/types.js';
import { ints, str, type Attr } from './graph.js';
import { unsupported, type OnnxLowerableNode } from './types.js';

export interface Window {
  size: number[];
  strides: number[];
  dilations: number[];
}

/** `pads` (all begins, then all ends) for known sizes, `auto_pad` where a size is only known at run time. */
export function paddingAttrs(node: OnnxLowerableNode, spatial: readonly Dim[], w: Window): Record<string, Attr> {
  const padding = String(node.args.padding ?? 'valid');
  if (padding === 'valid') return {};
  if (padding !== 'same') unsupported(node, `padding \`${padding}\` has no ONNX form here`, 'use padding=valid or padding=same', 'padding');
  if (spatial.some((d) => d === null)) return { auto_pad: str('SAME_UPPER') };
  const before: number[] = [];
  const after: number[] = [];
  spatial.forEach((d, i) => {
    const n = d as number;
    const effective = (w.size[i] - 1) * w.dilations[i] + 1;
    const out = Math.ceil(n / w.strides[i]);
    const total = Math.max((out - 1) * w.strides[i] + effective - n, 0);
    before.push(Math.floor(total / 2));
    after.push(total - Math.floor(total / 2));
  });
  return before.every((p) => p === 0) && after.every((p) => p === 0) ? {} : { pads: ints([...before, ...after]) };
}
