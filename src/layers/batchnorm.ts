import { axisOption, epsilonOption } from './params.js';
import { argError, success, weight } from './result.js';
import { formatShape } from './shape.js';
import { normalizedAxisSize } from './normalization.js';
import type { LayerDef } from './types.js';
import { num } from '../targets/tfjs/index.js';
import * as onnx from '../targets/onnx/index.js';
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
    tfjs: (node) => ({
      factory: 'batchNormalization',
      config: { axis: num(node, 'axis'), momentum: num(node, 'momentum'), epsilon: num(node, 'epsilon'), name: node.name },
    }),
    onnx: (node, ctx) => {
      const { g } = ctx;
      const [x] = ctx.inputs;
      const rank = x.shape.length;
      const axis = onnx.featureAxis(node, rank);
      const mean = onnx.hostWeight(ctx, 'moving_mean').data;
      const variance = onnx.hostWeight(ctx, 'moving_variance').data;
      const channels = mean.length;
      const gamma = ctx.hasWeight('gamma') ? onnx.hostWeight(ctx, 'gamma').data : new Float32Array(channels).fill(1);
      const beta = ctx.hasWeight('beta') ? onnx.hostWeight(ctx, 'beta').data : new Float32Array(channels);
      const epsilon = onnx.numArg(node, 'epsilon');
      // After a convolution the values exist channels-first: ONNX's own op, on the channel axis.
      if (axis === rank - 1 && rank >= 3 && g.hasChannelsFirst(x.name)) {
        const y = g.op('BatchNormalization', [
          g.channelsFirst(x.name, rank),
          g.floatConstant('gamma', [channels], gamma), g.floatConstant('beta', [channels], beta),
          g.floatConstant('moving_mean', [channels], mean), g.floatConstant('moving_variance', [channels], variance),
        ], { epsilon: onnx.float(epsilon) });
        return g.channelsLast(y, rank);
      }
      // Elsewhere the folded scale and shift, broadcast along the axis.
      const scale = new Float32Array(channels);
      const shift = new Float32Array(channels);
      for (let c = 0; c < channels; c++) {
        scale[c] = gamma[c] / Math.sqrt(variance[c] + epsilon);
        shift[c] = beta[c] - mean[c] * scale[c];
      }
      const dims = Array.from({ length: rank - axis }, (_, i) => (i === 0 ? channels : 1));
      const scaled = g.op('Mul', [x.name, g.floatConstant('scale', dims, scale)]);
      return g.op('Add', [scaled, g.floatConstant('shift', dims, shift)], {}, 'BatchNormalization');
    },
  },
};
