import { arg } from './common.js';
import type { Lowering } from './types.js';

export const reshape: Lowering = (node) => ({
  factory: 'reshape',
  config: { targetShape: arg(node, 'target_shape') as number[], name: node.name },
});
