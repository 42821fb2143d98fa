import { tupleArg } from './params.js';
import { success } from './result.js';
import type { LayerDef } from './types.js';
import { str, tuple } from '../targets/tfjs/index.js';
import { checkImageInput } from './window.js';
import * as onnx from '../targets/onnx/index.js';
import { lit, pyTuple, torchFunction } from '../targets/torch/lowering.js';

export const upsample: LayerDef = {
  kind: 'upsample',
  aliases: ['upsampling2d'],
  kerasClass: 'UpSampling2D',
  doc: 'Enlarges an image by repeating rows and columns: (batch, h, w, c) → (batch, h·size₀, w·size₁, c).',
  example: 'upsample 2',
  positional: [{ name: 'size', arg: tupleArg(2), default: [2, 2], doc: 'Factor for height x width; `2` means 2x2.' }],
  options: [
    { name: 'interpolation', arg: { type: 'enum', values: ['nearest', 'bilinear'] }, default: 'nearest', doc: 'How new pixels are filled.' },
  ],
  arity: 1,
  infer(node, [input]) {
    const wrongRank = checkImageInput(node, input);
    if (wrongRank) return wrongRank;
    const size = node.args.size as number[];
    const [, h, w, c] = input.shape;
    const scale = (d: number | null, f: number) => (d === null ? null : d * f);
    return success([null, scale(h, size[0]), scale(w, size[1]), c], [], 0);
  },
  targets: {
    torch: torchFunction((n) => `keras_upsample(${pyTuple(n.args.size)}, ${lit(n.args.interpolation)}, spatial_dims=(2, 3))`, 'first'),
    tfjs: (node) => ({ factory: 'upSampling2d', config: { size: tuple(node, 'size'), interpolation: str(node, 'interpolation'), name: node.name } }),
    // As tfjs computes it: nearest repeats pixels; bilinear samples without half-pixel centres.
    onnx: (node, ctx) => {
      const { g } = ctx;
      const [x] = ctx.inputs;
      const size = onnx.tupleArg(node, 'size', 2);
      const bilinear = node.args.interpolation === 'bilinear';
      const y = g.op('Resize', [g.channelsFirst(x.name, 4), '', g.floatValues([1, 1, size[0], size[1]])], {
        mode: onnx.str(bilinear ? 'linear' : 'nearest'),
        coordinate_transformation_mode: onnx.str('asymmetric'),
        ...(bilinear ? {} : { nearest_mode: onnx.str('floor') }),
      });
      return g.channelsLast(y, 4);
    },
  },
};
