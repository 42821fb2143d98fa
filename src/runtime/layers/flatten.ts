import type { Lowering } from './types.js';

export const flatten: Lowering = (node) => ({ factory: 'flatten', config: { name: node.name } });
