import { ACTIVATIONS } from './activations.js';
import { passThrough } from './result.js';
import type { LayerDef } from './types.js';
import { tfActivation } from '../targets/tfjs/index.js';
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
    tfjs: (node) => ({ factory: 'activation', config: { activation: tfActivation(node), name: node.name } }),
    // Softmax runs over the channels, wherever the layout puts them.
    torch: torchFunction((n, ctx) => {
      const name = lit(n.args.activation);
      return n.args.activation === 'softmax' ? `keras_activation(${name}, channel_dim=${axisIn(ctx.layout, ctx.inputShapes[0].length, -1)})` : `keras_activation(${name})`;
    }, 'any'),
  },
};
