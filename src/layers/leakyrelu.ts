import { passThrough } from './result.js';
import type { LayerDef } from './types.js';
import { notYetInTorch } from '../targets/torch/lowering.js';
import { notYetInOnnx } from '../targets/onnx/index.js';
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
    torch: notYetInTorch,
    onnx: notYetInOnnx,
    tfjs: (node) => ({ factory: 'leakyReLU', config: { alpha: num(node, 'negative_slope'), name: node.name } }),
  },
};
