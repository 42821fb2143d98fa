import { axisOption, epsilonOption } from './params.js';
import { success, weight } from './result.js';
import { normalizedAxisSize } from './normalization.js';
import type { LayerDef } from './types.js';
import { num } from '../targets/tfjs/index.js';
import { axisIn, kw, lit, pyCall } from '../targets/torch/lowering.js';

export const batchnorm: LayerDef = {
  kind: 'batchnorm',
  aliases: [],
  kerasClass: 'BatchNormalization',
  doc: 'Normalises each channel with the batch mean and variance while training (moving averages at inference), then scales by gamma and shifts by beta.',
  example: 'batchnorm momentum=0.9',
  positional: [],
  options: [
    { name: 'momentum', arg: { type: 'float', min: 0, max: 1 }, default: 0.99, doc: 'Weight of the old value when updating the moving mean and variance.' },
    epsilonOption,
    axisOption,
  ],
  arity: 1,
  infer(node, [input]) {
    const channels = normalizedAxisSize(node, input);
    if (typeof channels !== 'number') return channels;
    // Keras's order: gamma, beta (trained), then the moving statistics (updated, not trained).
    const weights = [
      weight('gamma', [channels]),
      weight('beta', [channels]),
      weight('moving_mean', [channels], false),
      weight('moving_variance', [channels], false),
    ];
    return success([...input.shape], weights, 0);
  },
  targets: {
    tfjs: (node) => ({
      factory: 'batchNormalization',
      config: { axis: num(node, 'axis'), momentum: num(node, 'momentum'), epsilon: num(node, 'epsilon'), name: node.name },
    }),
    torch: {
      wants: 'any',
      module: (n, ctx) => {
        const rank = ctx.inputShapes[0].length;
        const keras = axisIn('last', rank, n.args.axis as number);
        return pyCall('KerasBatchNorm', [
          String(ctx.inputShapes[0][keras]), kw('channel_dim', String(axisIn(ctx.layout, rank, n.args.axis as number))),
          kw('momentum', lit(n.args.momentum)), kw('epsilon', lit(n.args.epsilon)),
        ]);
      },
    },
  },
};
