/** One IR node to its tfjs-layers factory call, through the node's layer definition. */
import { DiagnosticError, error } from '../../diagnostics/diagnostic.js';
import { findLayer } from '../../layers/index.js';
import type { LowerContext, LowerableNode, TfLayerSpec } from './index.js';

export function lowerNode(node: LowerableNode, ctx: LowerContext = {}): TfLayerSpec {
  const def = findLayer(node.kind);
  // A validated IR names only known kinds: reaching this is a bug in mlc.
  if (!def) throw new DiagnosticError(error('E-INTERNAL', `internal error: layer \`${node.name}\` has unknown kind \`${node.kind}\``, node.span));
  const spec = def.targets.tfjs(node, ctx);
  // Keras's base-Layer argument, for every kind: said once here rather than in each lowering.
  return node.args.trainable === false ? { ...spec, config: { ...spec.config, trainable: false } } : spec;
}
