import type { LayerDef } from './types.js';
import { lit, pyCall } from '../targets/torch/lowering.js';
import * as onnx from '../targets/onnx/index.js';
import { num, seedOption } from '../targets/tfjs/index.js';
import { shapeError, success } from './result.js';
import { formatShape } from './shape.js';
import { checkImageInput } from './window.js';

/**
 * Keras's RandomCrop window at inference (keras/src/layers/preprocessing/
 * image_preprocessing/random_crop.py, get_random_transformation): the largest
 * centred window with the crop's aspect ratio, later resized to the crop.
 */
export function centredWindow(inH: number, inW: number, height: number, width: number): { top: number; left: number; h: number; w: number } {
  const h = Math.max(Math.min(inH, Math.trunc((inW * height) / width)), 1);
  const w = Math.max(Math.min(inW, Math.trunc((inH * width) / height)), 1);
  return { top: Math.trunc((inH - h) / 2), left: Math.trunc((inW - w) / 2), h, w };
}

/** Keras 3's RandomCrop: a random window while training, the centred window (resized) at inference. */
export const randomcrop: LayerDef = {
  kind: 'randomcrop',
  aliases: [],
  kerasClass: 'RandomCrop',
  doc: 'Data augmentation: while training, crops the batch to height x width at a random position; at inference, takes the largest centred window of that aspect ratio, resized to height x width.',
  example: 'randomcrop 24 24',
  positional: [
    { name: 'height', arg: { type: 'int', min: 1 }, doc: 'The height of the crop.' },
    { name: 'width', arg: { type: 'int', min: 1 }, doc: 'The width of the crop.' },
  ],
  options: [],
  arity: 1,
  infer(node, [input]) {
    const wrongRank = checkImageInput(node, input!);
    if (wrongRank) return wrongRank;
    const [, h, w, c] = input!.shape;
    if (h === null || w === null) {
      return shapeError(node, `randomcrop needs a known height and width; got ${formatShape(input!.shape)}`, 'give the input a fixed size, e.g. `input 180x180x3`');
    }
    return success([null, node.args.height as number, node.args.width as number, c!], [], 0, { outputDtype: 'float32' });
  },
  targets: {
    torch: { wants: 'last', module: (n) => pyCall('KerasRandomCrop', [lit(n.args.height), lit(n.args.width)]) },
    // Inference: the centred window, then (when it is not the crop's size) a bilinear resize with half-pixel centres, as tf.image.resize.
    onnx: (node, ctx) => {
      const { g } = ctx;
      const [x] = ctx.inputs;
      const [, inH, inW] = x!.shape as [null, number, number, number];
      const [height, width] = [onnx.numArg(node, 'height'), onnx.numArg(node, 'width')];
      const win = centredWindow(inH, inW, height, width);
      const v = x!.dtype === 'float32' ? x!.name : g.op('Cast', [x!.name], { to: onnx.int(1 /* FLOAT */) });
      const cut = onnx.crop(g, v, [1, 2], [[win.top, inH - win.top - win.h], [win.left, inW - win.left - win.w]]);
      if (win.h === height && win.w === width) return g.op('Identity', [cut], {}, 'RandomCrop');
      const nchw = g.channelsFirst(cut, 4);
      // The batch size is only known at run time: the sizes are (N, C) of the input, then the crop's.
      const batchAndChannels = g.op('Slice', [g.op('Shape', [nchw]), g.int64s([0]), g.int64s([2]), g.int64s([0])]);
      const sizes = g.op('Concat', [batchAndChannels, g.int64s([height, width])], { axis: onnx.int(0) });
      const resized = g.op('Resize', [nchw, '', '', sizes], {
        mode: onnx.str('linear'),
        coordinate_transformation_mode: onnx.str('half_pixel'),
      });
      return g.channelsLast(resized, 4);
    },
    tfjs: (node, ctx) => ({
      factory: 'randomCrop',
      custom: true,
      config: { height: num(node, 'height'), width: num(node, 'width'), ...seedOption(ctx), name: node.name },
    }),
  },
};
