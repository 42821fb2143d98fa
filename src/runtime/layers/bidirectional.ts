/**
 * Bidirectional wraps a recurrent layer, held in the IR under `args.layer` as
 * {kind, kerasClass, name, args}; tfjs builds the backward copy itself.
 */
import { error } from '../../diagnostics/diagnostic.js';
import { str } from './common.js';
import { gru } from './gru.js';
import { lstm } from './lstm.js';
import { simplernn } from './simplernn.js';
import { LoweringError, type Args, type Lowering, type LowerableNode } from './types.js';

const WRAPPABLE: Record<string, Lowering> = { lstm, gru, simplernn };
const MERGE_MODES = ['concat', 'sum', 'mul', 'ave'];

export const bidirectional: Lowering = (node, ctx) => {
  const inner = node.args.layer as unknown as LowerableNode | undefined;
  const lower = inner && typeof inner === 'object' ? WRAPPABLE[inner.kind] : undefined;
  if (!inner || !lower) {
    throw new LoweringError(error('E-RUNTIME-LAYER', `bidirectional layer \`${node.name}\` must wrap simplernn, lstm or gru`,
      node.argSpans?.layer ?? node.span, 'write e.g. `bidirectional lstm 64`'));
  }
  const mergeMode = str(node, 'merge_mode', 'concat');
  if (!MERGE_MODES.includes(mergeMode)) {
    throw new LoweringError(error('E-RUNTIME-ARG', `merge_mode \`${mergeMode}\` is not supported by TensorFlow.js`,
      node.argSpans?.merge_mode ?? node.span, `use one of: ${MERGE_MODES.join(', ')}`));
  }
  const wrapped = { ...inner, name: inner.name || inner.kind, args: (inner.args ?? {}) as Args, span: node.span };
  return { factory: 'bidirectional', config: { layer: lower(wrapped, ctx), mergeMode, name: node.name } };
};
