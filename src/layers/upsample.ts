import { tupleArg } from './params.js';
import { success } from './result.js';
import type { LayerDef } from './types.js';
import { str, tuple } from '../targets/tfjs/index.js';
import { checkImageInput } from './window.js';
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
    tfjs: (node) => ({ factory: 'upSampling2d', config: { size: tuple(node, 'size'), interpolation: str(node, 'interpolation'), name: node.name } }),
    torch: torchFunction((n) => `keras_upsample(${pyTuple(n.args.size)}, ${lit(n.args.interpolation)}, spatial_dims=(2, 3))`, 'first'),
  },
};
