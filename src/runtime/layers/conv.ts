/** Conv1D and Conv2D differ only in rank; one builder serves both. */
import { bool, kernelInitializers, num, padding, tfActivation, tuple } from './common.js';
import type { Lowering } from './types.js';

export function convLowering(factory: 'conv1d' | 'conv2d', rank: 1 | 2): Lowering {
  return (node, ctx) => ({
    factory,
    config: {
      filters: num(node, 'filters'),
      kernelSize: tuple(node, 'kernel_size', rank),
      strides: tuple(node, 'strides', rank, Array<number>(rank).fill(1)),
      padding: padding(node),
      dilationRate: tuple(node, 'dilation_rate', rank, Array<number>(rank).fill(1)),
      activation: tfActivation(node),
      useBias: bool(node, 'use_bias', true),
      ...kernelInitializers(ctx),
      name: node.name,
    },
  });
}
