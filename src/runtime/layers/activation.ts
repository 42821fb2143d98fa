import { tfActivation } from './common.js';
import type { Lowering } from './types.js';

export const activation: Lowering = (node) => ({
  factory: 'activation',
  config: { activation: tfActivation(node, 'activation'), name: node.name },
});
