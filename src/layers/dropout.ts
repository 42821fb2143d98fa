import { passThrough, shapeError } from './result.js';
import type { LayerDef } from './types.js';
import { num, seedOption } from '../targets/tfjs/index.js';
import * as onnx from '../targets/onnx/index.js';
import { lit, pyCall } from '../targets/torch/lowering.js';

export const dropout: LayerDef = {
  kind: 'dropout',
  aliases: [],
  kerasClass: 'Dropout',
  doc: 'During training, sets a random fraction `rate` of the values to 0 (and scales the rest up); does nothing at inference.',
  example: 'dropout 0.5',
  positional: [{ name: 'rate', arg: { type: 'float', min: 0, exclusiveMax: 1 }, doc: 'Fraction of the values to drop, in [0, 1).' }],
  options: [],
  arity: 1,
  infer: (node, [input]) =>
    input.dtype === 'int32'
      ? shapeError(node, 'dropout scales the values it keeps, so it needs float values; its input is int32 token ids',
        'put `dropout` after the `embedding`, which turns token ids into float vectors')
      : passThrough(input),
  targets: {
    torch: { wants: 'any', module: (n) => pyCall('KerasDropout', [lit(n.args.rate)]) },
    tfjs: (node, ctx) => ({ factory: 'dropout', config: { rate: num(node, 'rate'), ...seedOption(ctx), name: node.name } }),
    // At inference Dropout passes its input through.
    onnx: (_node, ctx) => {
      const [x] = ctx.inputs;
      return onnx.elementwise(ctx.g, x.name, x.shape.length, (v) => ctx.g.op('Identity', [v]));
    },
  },
};
