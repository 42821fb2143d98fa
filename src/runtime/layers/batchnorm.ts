import { bool, num } from './common.js';
import type { Lowering } from './types.js';

// Keras and tfjs share the defaults (momentum 0.99, epsilon 1e-3, last axis).
export const batchnorm: Lowering = (node) => ({
  factory: 'batchNormalization',
  config: {
    axis: num(node, 'axis', -1),
    momentum: num(node, 'momentum', 0.99),
    epsilon: num(node, 'epsilon', 1e-3),
    center: bool(node, 'center', true),
    scale: bool(node, 'scale', true),
    name: node.name,
  },
});
