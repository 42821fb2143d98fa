import { activationParam, kernelWeightOptions, useBiasOption } from './params.js';
import { checkLastKnown, success, weight } from './result.js';
import { knownProduct } from './shape.js';
import type { LayerDef } from './types.js';
import { bool, num, tfActivation, weightOptions } from '../targets/tfjs/index.js';
import * as onnx from '../targets/onnx/index.js';
import { kw, lastDim, lit, pyCall } from '../targets/torch/lowering.js';

export const dense: LayerDef = {
  kind: 'dense',
  aliases: [],
  kerasClass: 'Dense',
  doc: 'Fully connected layer: output = activation(input · kernel + bias), applied to the last axis.',
  example: 'dense 128 relu',
  positional: [
    { name: 'units', arg: { type: 'int', min: 1 }, doc: 'Number of output units.' },
    activationParam(),
  ],
  options: [useBiasOption, ...kernelWeightOptions],
  arity: 1,
  infer(node, [input]) {
    const unknownLast = checkLastKnown(node, input, 'feature');
    if (unknownLast) return unknownLast;
    const units = node.args.units as number;
    const last = input.shape[input.shape.length - 1] as number;
    const weights = [weight('kernel', [last, units])];
    if (node.args.use_bias as boolean) weights.push(weight('bias', [units]));
    // Keras applies Dense to the last axis of a rank > 2 input; every other
    // axis is kept, and each position costs one (last x units) product.
    const positions = knownProduct(input.shape.slice(1, -1));
    return success([...input.shape.slice(0, -1), units], weights, positions * last * units);
  },
  targets: {
    torch: {
      wants: 'last',
      module: (n, ctx) => pyCall('KerasDense', [
        kw('in_features', String(lastDim(ctx))), kw('units', lit(n.args.units)), kw('activation', lit(n.args.activation)),
        kw('use_bias', lit(n.args.use_bias)),
      ]),
    },
    tfjs: (node, ctx) => ({
      factory: 'dense',
      config: { units: num(node, 'units'), activation: tfActivation(node), useBias: bool(node, 'use_bias'), ...weightOptions(node, ctx), name: node.name },
    }),
    onnx: (node, ctx) => {
      const { g } = ctx;
      const [x] = ctx.inputs;
      const kernel = onnx.weightConstant(ctx, 'kernel');
      const bias = onnx.boolArg(node, 'use_bias', true) ? onnx.weightConstant(ctx, 'bias') : undefined;
      // Keras's Dense multiplies the last axis, whatever the rank: Gemm for (batch, features), MatMul beyond.
      const y = x.shape.length === 2
        ? g.op('Gemm', bias ? [x.name, kernel, bias] : [x.name, kernel])
        : bias ? g.op('Add', [g.op('MatMul', [x.name, kernel]), bias]) : g.op('MatMul', [x.name, kernel]);
      return onnx.applyActivation(g, y, onnx.activationName(node), node);
    },
  },
};

