/** The four local pooling kinds differ only in factory and rank. */
import { padding, tuple } from './common.js';
import type { Lowering } from './types.js';

export function poolLowering(factory: string, rank: 1 | 2): Lowering {
  return (node) => {
    const poolSize = tuple(node, 'pool_size', rank);
    // Keras: strides default to the pool size (the IR normally fills this in already).
    const strides = node.args.strides === null ? poolSize : tuple(node, 'strides', rank, poolSize);
    return { factory, config: { poolSize, strides, padding: padding(node), name: node.name } };
  };
}
