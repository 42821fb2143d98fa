import { error } from '../../diagnostics/diagnostic.js';
import { ACTIVATIONS } from './activations.js';
import type { LayerDef } from './types.js';

export const dense: LayerDef = {
  kind: 'dense',
  aliases: [],
  kerasClass: 'Dense',
  doc: 'Fully connected layer: output = activation(input · kernel + bias), applied to the last axis.',
  example: 'dense 128 relu',
  positional: [
    { name: 'units', arg: { type: 'int', min: 1 }, doc: 'Number of output units.' },
    { name: 'activation', arg: { type: 'enum', values: ACTIVATIONS }, default: 'linear', doc: 'Activation applied to the output.' },
  ],
  options: [{ name: 'use_bias', arg: { type: 'bool' }, default: true, doc: 'Whether to add a bias vector.' }],
  infer(node, [input]) {
    const units = node.args.units as number;
    const useBias = node.args.use_bias as boolean;
    const last = input.shape[input.shape.length - 1];
    if (input.shape.length < 2 || last === null) {
      return {
        ok: false,
        diagnostics: [
          error('E-SHAPE', `dense needs a known last dimension; got ${formatShape(input.shape)}`, node.span,
            'give the input a fixed last dimension, e.g. `input ?x16`'),
        ],
      };
    }
    // Keras applies Dense to the last axis of a rank > 2 input; every other axis is kept.
    const outputShape = [...input.shape.slice(0, -1), units];
    const positions = input.shape.slice(1, -1).reduce<number>((p, d) => p * (d ?? 1), 1);
    const weights = [{ name: 'kernel', shape: [last, units], trainable: true }];
    if (useBias) weights.push({ name: 'bias', shape: [units], trainable: true });
    return {
      ok: true,
      outputShape,
      trainableParams: last * units + (useBias ? units : 0),
      nonTrainableParams: 0,
      macs: positions * last * units,
      weights,
    };
  },
};

/** (None, 28, 28, 1) — Keras's own notation. */
export function formatShape(shape: readonly (number | null)[]): string {
  const parts = shape.map((d) => (d === null ? 'None' : String(d)));
  return `(${parts.join(', ')}${parts.length === 1 ? ',' : ''})`;
}
