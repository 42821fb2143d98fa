/**
 * Every layer kind's tfjs lowering, keyed by the IR kind. A test checks that
 * each kind in LAYER_DEFS (src/ir/layers) has an entry here.
 */
import { error } from '../../diagnostics/diagnostic.js';
import { activation } from './activation.js';
import { avgpool1d } from './avgpool1d.js';
import { avgpool2d } from './avgpool2d.js';
import { batchnorm } from './batchnorm.js';
import { bidirectional } from './bidirectional.js';
import { conv1d } from './conv1d.js';
import { conv2d } from './conv2d.js';
import { dense } from './dense.js';
import { dropout } from './dropout.js';
import { embedding } from './embedding.js';
import { flatten } from './flatten.js';
import { globalavgpool } from './globalavgpool.js';
import { globalmaxpool } from './globalmaxpool.js';
import { gru } from './gru.js';
import { layernorm } from './layernorm.js';
import { lstm } from './lstm.js';
import { maxpool1d } from './maxpool1d.js';
import { maxpool2d } from './maxpool2d.js';
import { reshape } from './reshape.js';
import { simplernn } from './simplernn.js';
import { LoweringError, type LowerContext, type LowerableNode, type Lowering, type TfLayerSpec } from './types.js';
import { upsample } from './upsample.js';

export const LOWERINGS: Readonly<Record<string, Lowering>> = {
  dense, conv2d, conv1d, maxpool2d, avgpool2d, maxpool1d, avgpool1d, globalmaxpool, globalavgpool,
  flatten, dropout, batchnorm, layernorm, activation, embedding, simplernn, lstm, gru, bidirectional,
  reshape, upsample,
};

/** The tfjs factory call for one IR node; throws LoweringError (with a Diagnostic) when tfjs cannot run it. */
export function lowerNode(node: LowerableNode, ctx: LowerContext = {}): TfLayerSpec {
  const lower = LOWERINGS[node.kind];
  if (lower === undefined) {
    throw new LoweringError(error('E-RUNTIME-LAYER', `layer kind \`${node.kind}\` (layer \`${node.name}\`) cannot run on TensorFlow.js yet`,
      node.span, `the runtime supports: ${Object.keys(LOWERINGS).join(', ')}`));
  }
  return lower(node, ctx);
}

export type { LowerContext, LowerableNode, Lowering, TfLayerSpec, TfConfigValue } from './types.js';
export { LoweringError } from './types.js';
