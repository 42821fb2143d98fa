import { axisOption, epsilonOption } from './params.js';
import { success, weight } from './result.js';
import { normalizedAxisSize } from './normalization.js';
import type { LayerDef } from './types.js';
import { num } from '../targets/tfjs/index.js';

export const layernorm: LayerDef = {
  kind: 'layernorm',
  aliases: [],
  kerasClass: 'LayerNormalization',
  doc: 'Normalises each sample over its last axis (mean 0, variance 1), then scales by gamma and shifts by beta.',
  example: 'layernorm epsilon=1e-6',
  positional: [],
  options: [epsilonOption, axisOption],
  arity: 1,
  infer(node, [input]) {
    const features = normalizedAxisSize(node, input);
    if (typeof features !== 'number') return features;
    return success([...input.shape], [weight('gamma', [features]), weight('beta', [features])], 0);
  },
  targets: {
    tfjs: (node) => ({
      factory: 'layerNormalization',
      config: { axis: num(node, 'axis'), epsilon: num(node, 'epsilon'), name: node.name },
    }),
  },
};
