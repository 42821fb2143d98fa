import { passThrough } from './result.js';
import type { LayerDef } from './types.js';

export const dropout: LayerDef = {
  kind: 'dropout',
  aliases: [],
  kerasClass: 'Dropout',
  doc: 'During training, sets a random fraction `rate` of the values to 0 (and scales the rest up); does nothing at inference.',
  example: 'dropout 0.5',
  positional: [{ name: 'rate', arg: { type: 'float', min: 0, exclusiveMax: 1 }, doc: 'Fraction of the values to drop, in [0, 1).' }],
  options: [],
  infer: (_node, [input]) => passThrough(input),
};
