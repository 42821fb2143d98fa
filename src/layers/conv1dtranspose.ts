import { convTransposeDef } from './conv-transpose.js';

export const conv1dtranspose = convTransposeDef(1, {
  kind: 'conv1dtranspose',
  aliases: ['deconv1d'],
  kerasClass: 'Conv1DTranspose',
  doc: 'Transposed 1-D convolution: upsamples a sequence (batch, steps, channels) by strides, e.g. in a sequence decoder.',
  example: 'conv1dtranspose 16 3 relu strides=2 padding=same',
});
