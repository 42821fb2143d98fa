import { ACTIVATIONS } from './activations.js';
import { passThrough } from './result.js';
import type { LayerDef } from './types.js';
import { tfActivation } from '../targets/tfjs/index.js';
import * as onnx from '../targets/onnx/index.js';
import { axisIn, lit, torchFunction } from '../targets/torch/lowering.js';

export const activation: LayerDef = {
  kind: 'activation',
  aliases: [],
  kerasClass: 'Activation',
  doc: 'Applies an activation function on its own, e.g. after a layer written without one.',
  example: 'activation relu',
  positional: [{ name: 'activation', arg: { type: 'enum', values: ACTIVATIONS }, doc: 'The activation function.' }],
  options: [],
  arity: 1,
  infer: (_node, [input]) => passThrough(input),
  targets: {
    torch: torchFunction((n, ctx) => {
      const name = lit(n.args.activation);
      return n.args.activation === 'softmax' ? `keras_activation(${name}, channel_dim=${axisIn(ctx.layout, ctx.inputShapes[0].length, -1)})` : `keras_activation(${name})`;
    }, 'any'),
    tfjs: (node) => ({ factory: 'activation', config: { activation: tfActivation(node), name: node.name } }),
    onnx: (node, ctx) => {
      const [x] = ctx.inputs;
      const name = onnx.activationName(node);
      if (!onnx.isElementwise(name)) return onnx.applyActivation(ctx.g, x.name, name, node);
      return onnx.elementwise(ctx.g, x.name, x.shape.length, (v) => {
        const y = onnx.applyActivation(ctx.g, v, name, node);
        // `activation linear` still gets a node of its own, named after the layer.
        return y === v ? ctx.g.op('Identity', [v]) : y;
      });
    },
  },
};
