import { globalPoolDef } from './global-pooling.js';

export const globalavgpool = globalPoolDef({
  kind: 'globalavgpool',
  classPrefix: 'GlobalAveragePooling',
  onnxReduce: 'ReduceMean',
  doc: 'Mean of each channel over all steps or pixels: (batch, ..., channels) → (batch, channels).',
  example: 'globalavgpool',
});
