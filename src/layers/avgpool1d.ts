import { poolDef } from './pooling.js';

export const avgpool1d = poolDef(1, {
  kind: 'avgpool1d',
  aliases: [],
  kerasClass: 'AveragePooling1D',
  doc: 'Averages each pool_size window of a sequence, per channel.',
  tfjsFactory: 'averagePooling1d',
  onnxOp: 'AveragePool',
  example: 'avgpool1d 3 padding=same',
});
