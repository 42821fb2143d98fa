import { passThrough } from './result.js';
import type { LayerDef } from './types.js';
import { kw, lit, pyCall, spatialAxes } from '../targets/torch/lowering.js';
import * as onnx from '../targets/onnx/index.js';
import { seedOption, str } from '../targets/tfjs/index.js';
import { checkImageInput } from './window.js';

/** Keras 3's RandomFlip augmentation: only while training, seeded by the run's seed. */
export const randomflip: LayerDef = {
  kind: 'randomflip',
  aliases: [],
  kerasClass: 'RandomFlip',
  doc: 'Data augmentation: while training, flips each image left-right and/or upside down with probability 1/2; nothing at inference.',
  example: 'randomflip horizontal',
  positional: [
    {
      name: 'mode',
      arg: { type: 'enum', values: ['horizontal', 'vertical', 'horizontal_and_vertical'] },
      default: 'horizontal_and_vertical',
      doc: 'Which flips: `horizontal` (left-right), `vertical` (upside down) or both.',
    },
  ],
  options: [],
  arity: 1,
  infer: (node, [input]) => checkImageInput(node, input) ?? passThrough(input),
  targets: {
    torch: {
      wants: 'any',
      module: (n, ctx) => {
        const [height, width] = spatialAxes(ctx.layout, 4);
        return pyCall('KerasRandomFlip', [lit(n.args.mode), kw('height_dim', String(height)), kw('width_dim', String(width))]);
      },
    },
    // Augmentation happens only while training: at inference the image passes through.
    onnx: (_node, ctx) => onnx.identity(ctx),
    tfjs: (node, ctx) => ({ factory: 'randomFlip', custom: true, config: { mode: str(node, 'mode'), ...seedOption(ctx), name: node.name } }),
  },
};
