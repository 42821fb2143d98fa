import { convDef } from './conv.js';

export const conv2d = convDef(2, {
  kind: 'conv2d',
  aliases: ['conv'],
  kerasClass: 'Conv2D',
  doc: '2-D convolution over images (batch, height, width, channels): `filters` kernels of size `kernel_size`.',
  example: 'conv 32 3x3 relu padding=same',
});
