import { passThrough } from './result.js';
import type { LayerDef } from './types.js';
import { num, seedOption } from '../targets/tfjs/index.js';
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
  infer: (_node, [input]) => passThrough(input),
  targets: {
    tfjs: (node, ctx) => ({ factory: 'dropout', config: { rate: num(node, 'rate'), ...seedOption(ctx), name: node.name } }),
    torch: { wants: 'any', module: (n) => pyCall('KerasDropout', [lit(n.args.rate)]) },
  },
};
