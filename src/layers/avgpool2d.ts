import { poolDef } from './pooling.js';

export const avgpool2d = poolDef(2, {
  kind: 'avgpool2d',
  aliases: ['avgpool'],
  kerasClass: 'AveragePooling2D',
  doc: 'Averages each pool_size window of an image, per channel.',
  tfjsFactory: 'averagePooling2d',
  onnxOp: 'AveragePool',
  example: 'avgpool 2x2 strides=2',
});
