import { convTransposeDef } from './conv-transpose.js';

export const conv2dtranspose = convTransposeDef(2, {
  kind: 'conv2dtranspose',
  aliases: ['deconv2d'],
  kerasClass: 'Conv2DTranspose',
  doc: 'Transposed 2-D convolution ("deconvolution"): upsamples an image by strides, e.g. in a decoder or an autoencoder.',
  example: 'conv2dtranspose 32 3 relu strides=2 padding=same',
});
