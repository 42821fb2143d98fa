import { axisOption, epsilonOption } from './params.js';
import { argError, success, weight } from './result.js';
import { formatShape } from './shape.js';
import { normalizedAxisSize } from './normalization.js';
import type { LayerDef } from './types.js';
import { num } from '../targets/tfjs/index.js';

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
    const axis = node.args.axis as number;
    if ((axis < 0 ? input.shape.length + axis : axis) !== input.shape.length - 1) {
      return argError(node, `batchnorm over axis ${axis} of ${formatShape(input.shape)} cannot be trained by TensorFlow.js, which normalises over the last axis only`,
        'normalise the last (channel) axis: leave out `axis=` or write `axis=-1`', 'axis');
    }
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
  },
};
