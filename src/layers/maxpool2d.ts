import { poolDef } from './pooling.js';

export const maxpool2d = poolDef(2, {
  kind: 'maxpool2d',
  aliases: ['maxpool'],
  kerasClass: 'MaxPooling2D',
  doc: 'Keeps the largest value of each pool_size window of an image, per channel.',
  tfjsFactory: 'maxPooling2d',
  onnxOp: 'MaxPool',
  example: 'maxpool 2',
});
