import { shapeError, success } from './result.js';
import type { LayerDef } from './types.js';
import { pyTuple, spatialAxes, torchFunction } from '../targets/torch/lowering.js';
import * as onnx from '../targets/onnx/index.js';
import { arg } from '../targets/tfjs/index.js';
import { checkImageInput } from './window.js';

/** Keras's cropping: one number for every side, [rows, columns] for symmetric crops, or [top, bottom, left, right]. */
function crops(value: number[]): [[number, number], [number, number]] {
  if (value.length === 1) return [[value[0], value[0]], [value[0], value[0]]];
  if (value.length === 2) return [[value[0], value[0]], [value[1], value[1]]];
  return [[value[0], value[1]], [value[2], value[3]]];
}

export const cropping2d: LayerDef = {
  kind: 'cropping2d',
  aliases: [],
  kerasClass: 'Cropping2D',
  doc: 'Cuts rows and columns off the edges of an image: `cropping2d 2` trims 2 on every side, `[1, 2]` rows and columns, `[t, b, l, r]` each side.',
  example: 'cropping2d [1, 2]',
  positional: [{ name: 'cropping', arg: { type: 'shape' }, doc: 'One number, [rows, columns], or [top, bottom, left, right].' }],
  options: [],
  arity: 1,
  infer(node, [input]) {
    const wrong = checkImageInput(node, input);
    if (wrong) return wrong;
    const value = node.args.cropping as number[];
    if (![1, 2, 4].includes(value.length) || value.some((v) => v < 0)) {
      return shapeError(node, `cropping2d takes one number, [rows, columns] or [top, bottom, left, right] of sizes ≥ 0; got [${value.join(', ')}]`, 'e.g. `cropping2d [1, 2]`', 'cropping');
    }
    const [[top, bottom], [left, right]] = crops(value);
    const [, h, w, c] = input.shape;
    const cut = (d: number | null, a: number, b: number) => (d === null ? null : d - a - b);
    const out = [cut(h, top, bottom), cut(w, left, right)];
    if (out.some((d) => d !== null && d <= 0)) {
      return shapeError(node, `cropping2d [${value.join(', ')}] removes the whole of its ${h}x${w} input`, 'crop less', 'cropping');
    }
    return success([null, out[0], out[1], c], [], 0, { outputDtype: input.dtype });
  },
  targets: {
    torch: torchFunction((n, ctx) => `keras_crop(${pyTuple(crops(n.args.cropping as number[]))}, ${pyTuple(spatialAxes(ctx.layout, 4))})`, 'any'),
    onnx: (node, ctx) => onnx.crop(ctx.g, ctx.inputs[0].name, [1, 2], crops(node.args.cropping as number[])),
    tfjs: (node) => ({ factory: 'cropping2D', config: { cropping: crops(arg(node, 'cropping') as number[]), name: node.name } }),
  },
};
