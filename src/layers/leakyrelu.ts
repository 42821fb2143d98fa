import { passThrough } from './result.js';
import type { LayerDef } from './types.js';
import { lit, torchFunction } from '../targets/torch/lowering.js';
import * as onnx from '../targets/onnx/index.js';
import { num } from '../targets/tfjs/index.js';

export const leakyrelu: LayerDef = {
  kind: 'leakyrelu',
  aliases: [],
  kerasClass: 'LeakyReLU',
  doc: 'Leaky rectifier: x for x ≥ 0, negative_slope·x below.',
  example: 'leakyrelu 0.2',
  positional: [
    {
      name: 'negative_slope',
      aliases: ['alpha'],
      arg: { type: 'float', min: 0 },
      default: 0.3,
      doc: 'Slope for negative inputs (Keras 3 name; `alpha` in Keras 2).',
    },
  ],
  options: [],
  arity: 1,
  infer: (_node, [input]) => passThrough(input),
  targets: {
    torch: torchFunction((n) => `functools.partial(F.leaky_relu, negative_slope=${lit(n.args.negative_slope)})`, 'any'),
    onnx: (node, ctx) => {
      const [x] = ctx.inputs;
      return onnx.elementwise(ctx.g, x.name, x.shape.length, (v) => ctx.g.op('LeakyRelu', [v], { alpha: onnx.float(onnx.numArg(node, 'negative_slope', 0.3)) }));
    },
    tfjs: (node) => ({ factory: 'leakyReLU', config: { alpha: num(node, 'negative_slope'), name: node.name } }),
  },
};
