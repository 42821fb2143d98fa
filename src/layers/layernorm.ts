import { axisOption, epsilonOption } from './params.js';
import { success, weight } from './result.js';
import { normalizedAxisSize } from './normalization.js';
import type { LayerDef } from './types.js';
import { num } from '../targets/tfjs/index.js';
import { axisIn, kw, lit, pyCall } from '../targets/torch/lowering.js';

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
    torch: {
      wants: 'last',
      module: (n, ctx) => {
        const axis = axisIn('last', ctx.inputShapes[0].length, n.args.axis as number);
        return pyCall('KerasLayerNorm', [String(ctx.inputShapes[0][axis]), kw('axis', String(axis)), kw('epsilon', lit(n.args.epsilon))]);
      },
    },
  },
};
