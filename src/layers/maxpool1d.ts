import { poolDef } from './pooling.js';

export const maxpool1d = poolDef(1, {
  kind: 'maxpool1d',
  aliases: [],
  kerasClass: 'MaxPooling1D',
  doc: 'Keeps the largest value of each pool_size window of a sequence, per channel.',
  tfjsFactory: 'maxPooling1d',
  onnxOp: 'MaxPool',
  example: 'maxpool1d 2',
});
