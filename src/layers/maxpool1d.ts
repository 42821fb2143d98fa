import { poolDef } from './pooling.js';

export const maxpool1d = poolDef(1, {
  kind: 'maxpool1d',
  aliases: [],
  kerasClass: 'MaxPooling1D',
  doc: 'Keeps the largest value of each pool_size window of a sequence, per channel.',
  op: 'max',
  tfjsFactory: 'maxPooling1d',
  example: 'maxpool1d 2',
});
