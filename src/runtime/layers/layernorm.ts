import { bool, num } from './common.js';
import type { Lowering } from './types.js';

export const layernorm: Lowering = (node) => ({
  factory: 'layerNormalization',
  config: {
    axis: num(node, 'axis', -1),
    epsilon: num(node, 'epsilon', 1e-3),
    center: bool(node, 'center', true),
    scale: bool(node, 'scale', true),
    name: node.name,
  },
});
