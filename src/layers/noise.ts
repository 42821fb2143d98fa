/**
 * Keras's layers that add noise or drop whole channels while training and
 * pass values through at inference: GaussianNoise, GaussianDropout,
 * SpatialDropout1D/2D. They run on mlc's own seeded layers (src/runtime/custom-layers/random.ts);
 * the ONNX export, being for inference, writes them as Identity.
 */
import { checkRank, passThrough } from './result.js';
import { axisIn, kw, lit, pyCall } from '../targets/torch/lowering.js';
import * as onnx from '../targets/onnx/index.js';
import type { LayerDef } from './types.js';
import { num, seedOption } from '../targets/tfjs/index.js';

const rate = { name: 'rate', arg: { type: 'float', min: 0, exclusiveMax: 1 }, doc: 'Fraction to drop, in [0, 1).' } as const;

export const gaussiannoise: LayerDef = {
  kind: 'gaussiannoise',
  aliases: [],
  kerasClass: 'GaussianNoise',
  doc: 'While training, adds zero-mean Gaussian noise of standard deviation `stddev` (a regulariser); nothing at inference.',
  example: 'gaussiannoise 0.1',
  positional: [{ name: 'stddev', arg: { type: 'float', min: 0 }, doc: 'Standard deviation of the noise.' }],
  options: [],
  arity: 1,
  infer: (_node, [input]) => passThrough(input),
  targets: {
    torch: { wants: 'any', module: (n) => pyCall('KerasGaussianNoise', [lit(n.args.stddev)]) },
    onnx: (_node, ctx) => onnx.identity(ctx),
    tfjs: (node, ctx) => ({ factory: 'gaussianNoise', custom: true, config: { stddev: num(node, 'stddev'), ...seedOption(ctx), name: node.name } }),
  },
};

export const gaussiandropout: LayerDef = {
  kind: 'gaussiandropout',
  aliases: [],
  kerasClass: 'GaussianDropout',
  doc: 'While training, multiplies by Gaussian noise of mean 1 and standard deviation sqrt(rate / (1 − rate)); nothing at inference.',
  example: 'gaussiandropout 0.2',
  positional: [rate],
  options: [],
  arity: 1,
  infer: (_node, [input]) => passThrough(input),
  targets: {
    torch: { wants: 'any', module: (n) => pyCall('KerasGaussianDropout', [lit(n.args.rate)]) },
    onnx: (_node, ctx) => onnx.identity(ctx),
    tfjs: (node, ctx) => ({ factory: 'gaussianDropout', custom: true, config: { rate: num(node, 'rate'), ...seedOption(ctx), name: node.name } }),
  },
};

function spatialDropout(rank: 3 | 4): LayerDef {
  const kind = rank === 3 ? 'spatialdropout1d' : 'spatialdropout2d';
  const layout = rank === 3 ? '(batch, steps, channels)' : '(batch, height, width, channels)';
  return {
    kind,
    aliases: [],
    kerasClass: rank === 3 ? 'SpatialDropout1D' : 'SpatialDropout2D',
    doc: `While training, drops whole channels of a ${layout} input (the same ones at every ${rank === 3 ? 'step' : 'position'}) and scales the rest up.`,
    example: `${kind} 0.2`,
    positional: [rate],
    options: [],
    arity: 1,
    infer(node, [input]) {
      return checkRank(node, input, rank, layout, rank === 3 ? 'use `dropout` on other inputs' : 'use `dropout` on other inputs, or `spatialdropout1d` on sequences') ?? passThrough(input);
    },
    targets: {
      torch: {
        wants: 'any',
        module: (n, ctx) => pyCall('KerasSpatialDropout', [lit(n.args.rate), kw('channel_dim', String(axisIn(ctx.layout, rank, -1)))]),
      },
      onnx: (_node, ctx) => onnx.identity(ctx),
      tfjs: (node, ctx) => ({
        factory: rank === 3 ? 'spatialDropout1d' : 'spatialDropout2d', custom: true,
        config: { rate: num(node, 'rate'), ...seedOption(ctx), name: node.name },
      }),
    },
  };
}

export const spatialdropout1d = spatialDropout(3);
export const spatialdropout2d = spatialDropout(4);
