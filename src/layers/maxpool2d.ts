import { poolDef } from './pooling.js';

export const maxpool2d = poolDef(2, {
  kind: 'maxpool2d',
  aliases: ['maxpool'],
  kerasClass: 'MaxPooling2D',
  doc: 'Keeps the largest value of each pool_size window of an image, per channel.',
  op: 'max',
  tfjsFactory: 'maxPooling2d',
  example: 'maxpool 2',
});
