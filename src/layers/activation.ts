import { ACTIVATIONS } from './activations.js';
import { passThrough } from './result.js';
import type { LayerDef } from './types.js';
import { tfActivation } from '../targets/tfjs/index.js';

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
  },
};
