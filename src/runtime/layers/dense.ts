import { bool, kernelInitializers, num, tfActivation } from './common.js';
import type { Lowering } from './types.js';

export const dense: Lowering = (node, ctx) => ({
  factory: 'dense',
  config: {
    units: num(node, 'units'),
    activation: tfActivation(node),
    useBias: bool(node, 'use_bias', true),
    ...kernelInitializers(ctx),
    name: node.name,
  },
});
