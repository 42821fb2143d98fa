import { str, tuple } from './common.js';
import type { Lowering } from './types.js';

export const upsample: Lowering = (node) => ({
  factory: 'upSampling2d',
  config: { size: tuple(node, 'size', 2, [2, 2]), interpolation: str(node, 'interpolation', 'nearest'), name: node.name },
});
