import { error } from '../../diagnostics/diagnostic.js';
import { recurrentLowering } from './recurrent.js';
import { LoweringError, type Lowering } from './types.js';

const gruConfig = recurrentLowering('gru', true);

// tfjs's GRU is Keras's GRU with reset_after=False, the variant the language defines.
export const gru: Lowering = (node, ctx) => {
  if (node.args.reset_after === true) {
    throw new LoweringError(error('E-RUNTIME-ARG', `layer \`${node.name}\`: TensorFlow.js runs only the reset_after=false GRU`,
      node.argSpans?.reset_after ?? node.span, 'remove `reset_after=true`'));
  }
  return gruConfig(node, ctx);
};
