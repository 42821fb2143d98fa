/**
 * Global pooling: Keras picks the 1D or 2D class by input rank, and inference
 * records the choice in the node's kerasClass; the tfjs factory follows it.
 */
import { error } from '../../diagnostics/diagnostic.js';
import { LoweringError, type Lowering } from './types.js';

const FACTORIES: Record<string, string> = {
  GlobalMaxPooling1D: 'globalMaxPooling1d',
  GlobalMaxPooling2D: 'globalMaxPooling2d',
  GlobalAveragePooling1D: 'globalAveragePooling1d',
  GlobalAveragePooling2D: 'globalAveragePooling2d',
};

export const globalPool: Lowering = (node) => {
  const factory = FACTORIES[node.kerasClass];
  if (factory === undefined) {
    throw new LoweringError(error('E-RUNTIME-LAYER', `${node.kerasClass} (layer \`${node.name}\`) has no TensorFlow.js equivalent`,
      node.span, 'TensorFlow.js has global pooling for 1-D sequences and 2-D images only; flatten or reshape first'));
  }
  return { factory, config: { name: node.name } };
};
