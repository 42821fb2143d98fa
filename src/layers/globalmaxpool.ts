import { globalPoolDef } from './global-pooling.js';

export const globalmaxpool = globalPoolDef({
  kind: 'globalmaxpool',
  classPrefix: 'GlobalMaxPooling',
  onnxReduce: 'ReduceMax',
  doc: 'Largest value of each channel over all steps or pixels: (batch, ..., channels) → (batch, channels).',
  example: 'globalmaxpool',
});
