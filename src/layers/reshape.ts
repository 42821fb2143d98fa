import type { Dim } from '../ir/types.js';
import { shapeError, success } from './result.js';
import { elementCount, formatShape } from './shape.js';
import type { LayerDef } from './types.js';
import { arg } from '../targets/tfjs/index.js';
import { pyTuple, torchFunction } from '../targets/torch/lowering.js';

export const reshape: LayerDef = {
  kind: 'reshape',
  aliases: [],
  kerasClass: 'Reshape',
  doc: 'Lays the same values out in a new shape (batch excluded); one dimension may be -1 to have it computed.',
  example: 'reshape 28x28x1',
  positional: [{ name: 'target_shape', arg: { type: 'shape' }, doc: 'The new shape without the batch, e.g. `28x28x1` or `[-1, 16]`.' }],
  options: [],
  arity: 1,
  outputRank: (_ranks, args) => (Array.isArray(args.target_shape) ? args.target_shape.length : 1) + 1,
  infer(node, [input]) {
    // -1 is Keras's "inferred" dimension; a null (`?`) is read the same way.
    const target = (node.args.target_shape as (number | null)[]).map((d) => (d === null ? -1 : d));
    const shown = formatShape(target);
    if (target.filter((d) => d === -1).length > 1) {
      return shapeError(node, `reshape to ${shown} has more than one -1 dimension; only one can be inferred`,
        'give every dimension but one a fixed size', 'target_shape');
    }
    if (target.some((d) => d === 0 || d < -1)) {
      return shapeError(node, `reshape to ${shown} has a dimension that is neither positive nor -1`,
        'use positive sizes, and -1 for the one to infer', 'target_shape');
    }
    const have = elementCount(input.shape.slice(1));
    const fixed = target.reduce((p, d) => (d === -1 ? p : p * d), 1);
    const inferred = target.includes(-1);
    if (have !== null && (inferred ? have % fixed !== 0 : have !== fixed)) {
      const wanted = inferred ? `a multiple of ${fixed} values` : `${fixed} values`;
      return shapeError(node,
        `reshape to ${shown} needs ${wanted}, but its input ${formatShape(input.shape)} has ${have}`,
        `the target dimensions must multiply to ${have}; use -1 for one dimension to have it computed${example(have, target)}`,
        'target_shape');
    }
    if (have === null && !inferred) {
      return shapeError(node, `reshape to ${shown} cannot take its input ${formatShape(input.shape)}: a \`?\` dimension can hold any number of values, but the target holds ${fixed}`,
        'use -1 for the dimension that follows the `?` size, e.g. `reshape [-1, ' + (target[target.length - 1] ?? 1) + ']`', 'target_shape');
    }
    const knownPart = input.shape.slice(1).reduce<number>((p, d) => (d === null ? p : p * d), 1);
    if (have === null && knownPart % fixed !== 0) {
      return shapeError(node, `reshape to ${shown} needs a multiple of ${fixed} values, which its input ${formatShape(input.shape)} has only for some lengths`,
        `make the fixed target dimensions divide ${knownPart}`, 'target_shape');
    }
    // With an unknown input size, an inferred dimension stays unknown (as in Keras).
    const out: Dim[] = target.map((d) => (d !== -1 ? d : have === null ? null : have / fixed));
    return success([null, ...out], [], 0, { outputDtype: input.dtype });
  },
  targets: {
    torch: torchFunction((n) => `keras_reshape(${pyTuple((n.args.target_shape as (number | null)[]).map((d) => d ?? -1))})`, 'last'),
    tfjs: (node) => ({ factory: 'reshape', config: { targetShape: arg(node, 'target_shape') as number[], name: node.name } }),
    onnx: (node, ctx) => {
      const target = node.args.target_shape as Dim[];
      // 0 keeps the batch dimension as it comes; an inferred (`?`) dimension is -1.
      return ctx.g.op('Reshape', [ctx.inputs[0].name, ctx.g.int64s([0, ...target.map((d) => d ?? -1)])]);
    },
  },
};

/** `, e.g. \`reshape [-1, 16]\`` keeping the last target dimension, when it divides the input. */
function example(have: number, target: number[]): string {
  const last = target[target.length - 1];
  return target.length > 1 && last > 0 && have % last === 0 ? `, e.g. \`reshape [-1, ${last}]\`` : '';
}
