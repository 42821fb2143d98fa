/**
 * Each layer kind on PyTorch (see ./lowering.ts), keyed by kind.
 */
import { kw, lastDim, lit, axisIn, pyCall, recurrentArgs, torchConv, torchFunction, torchGlobalPool, torchMerge, torchPool, torchRecurrent, tuple, type TorchLayer } from './lowering.js';
import type { ArgValue } from '../../ir/types.js';

export type { Layout, TorchContext, TorchLayer } from './lowering.js';

const dense: TorchLayer = {
  wants: 'last',
  module: (n, ctx) => pyCall('KerasDense', [
    kw('in_features', String(lastDim(ctx))), kw('units', lit(n.args.units)), kw('activation', lit(n.args.activation ?? 'linear')),
    kw('use_bias', lit(n.args.use_bias ?? true)),
  ]),
};

/** Every kind mlc knows, on PyTorch. */
export const TORCH_LAYERS: Record<string, TorchLayer> = {
  dense,
  conv2d: torchConv(2),
  conv1d: torchConv(1),
  maxpool2d: torchPool(2, 'max'),
  avgpool2d: torchPool(2, 'avg'),
  maxpool1d: torchPool(1, 'max'),
  avgpool1d: torchPool(1, 'avg'),
  globalmaxpool: torchGlobalPool('max'),
  globalavgpool: torchGlobalPool('avg'),
  flatten: torchFunction(() => 'keras_flatten', 'last'),
  reshape: torchFunction((n) => `keras_reshape(${tuple((n.args.target_shape as (number | null)[]).map((d) => d ?? -1))})`, 'last'),
  dropout: { wants: 'any', module: (n) => pyCall('KerasDropout', [lit(n.args.rate)]) },
  activation: torchFunction((n, ctx) => {
    const name = lit(n.args.activation);
    return n.args.activation === 'softmax' ? `keras_activation(${name}, channel_dim=${axisIn(ctx.layout, ctx.inputShapes[0].length, -1)})` : `keras_activation(${name})`;
  }, 'any'),
  batchnorm: {
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
  layernorm: {
    wants: 'last',
    module: (n, ctx) => {
      const rank = ctx.inputShapes[0].length;
      const axis = axisIn('last', rank, n.args.axis as number);
      return pyCall('KerasLayerNorm', [String(ctx.inputShapes[0][axis]), kw('axis', String(axis)), kw('epsilon', lit(n.args.epsilon))]);
    },
  },
  embedding: { wants: 'last', module: (n) => pyCall('KerasEmbedding', [kw('input_dim', lit(n.args.input_dim)), kw('output_dim', lit(n.args.output_dim))]) },
  simplernn: torchRecurrent('simplernn'),
  lstm: torchRecurrent('lstm'),
  gru: torchRecurrent('gru'),
  bidirectional: {
    wants: 'last',
    module: (n, ctx) => {
      const inner = n.args.layer as { kind: string; args: Record<string, ArgValue> };
      const one = pyCall('KerasRecurrent', recurrentArgs(inner.kind, inner.args, lastDim(ctx)));
      return pyCall('KerasBidirectional', [one, one, kw('merge_mode', lit(n.args.merge_mode ?? 'concat'))]);
    },
  },
  upsample: torchFunction((n) => `keras_upsample(${tuple(n.args.size)}, ${lit(n.args.interpolation ?? 'nearest')}, spatial_dims=(2, 3))`, 'first'),
  // The merges of graph models (v2).
  add: torchMerge('add', 'any'),
  subtract: torchMerge('subtract', 'any'),
  multiply: torchMerge('multiply', 'any'),
  average: torchMerge('average', 'any'),
  maximum: torchMerge('maximum', 'any'),
  minimum: torchMerge('minimum', 'any'),
  concat: torchMerge('concat', 'any'),
  dot: torchMerge('dot', 'last'),
};
