import { activationParam, useBiasOption } from './params.js';
import { checkLastKnown, success, weight } from './result.js';
import { knownProduct } from './shape.js';
import type { LayerDef } from './types.js';

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
  options: [useBiasOption],
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
};

/** Kept here for modules that imported it from its first home; it lives in ./shape.ts. */
export { formatShape } from './shape.js';
