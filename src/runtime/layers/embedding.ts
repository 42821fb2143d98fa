import { bool, num, seededInitializer } from './common.js';
import type { Lowering } from './types.js';

export const embedding: Lowering = (node, ctx) => ({
  factory: 'embedding',
  config: {
    inputDim: num(node, 'input_dim'),
    outputDim: num(node, 'output_dim'),
    maskZero: bool(node, 'mask_zero', false),
    // Keras's default "uniform" initializer is RandomUniform(-0.05, 0.05), as is tfjs's.
    ...(ctx.seed === undefined ? {} : { embeddingsInitializer: seededInitializer('RandomUniform', ctx.seed, { minval: -0.05, maxval: 0.05 }) }),
    name: node.name,
  },
});
