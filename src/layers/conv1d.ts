import { convDef } from './conv.js';

export const conv1d = convDef(1, {
  kind: 'conv1d',
  aliases: [],
  kerasClass: 'Conv1D',
  doc: '1-D convolution over sequences (batch, steps, channels): `filters` kernels of length `kernel_size`.',
  example: 'conv1d 64 3 relu',
});
