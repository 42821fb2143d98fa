import { num } from './common.js';
import type { Lowering } from './types.js';

export const dropout: Lowering = (node, ctx) => ({
  factory: 'dropout',
  config: { rate: num(node, 'rate'), ...(ctx.seed === undefined ? {} : { seed: ctx.seed }), name: node.name },
});
