import { argError, checkLastKnown, success, weight } from './result.js';
import type { LayerDef } from './types.js';
import type { Shape } from '../ir/types.js';
import { pyCall, pyTuple } from '../targets/torch/lowering.js';
import * as onnx from '../targets/onnx/index.js';

/** alpha's shape: the input's without the batch axis, 1 along the shared axes. */
function alphaShape(input: Shape, shared: number[]): Shape {
  return input.slice(1).map((d, i) => (shared.includes(i + 1) ? 1 : d));
}

/** Keras's PReLU: x for x ≥ 0, alpha·x below, with a learned alpha per value (shared along `shared_axes`). */
export const prelu: LayerDef = {
  kind: 'prelu',
  aliases: [],
  kerasClass: 'PReLU',
  doc: 'Parametric rectifier: x for x ≥ 0, alpha·x below, with alpha learned for every value (or shared along `shared_axes`).',
  example: 'prelu shared_axes=[1, 2]',
  positional: [],
  options: [
    { name: 'shared_axes', arg: { type: 'shape' }, optional: true, doc: 'Axes (1 = the first after the batch) along which one alpha is shared, e.g. `[1, 2]` for one alpha per channel of an image.' },
  ],
  arity: 1,
  infer(node, [input]) {
    const shared = (node.args.shared_axes as number[] | undefined) ?? [];
    const rank = input.shape.length;
    const bad = shared.find((a) => a < 1 || a >= rank);
    if (bad !== undefined) {
      return argError(node, `prelu shared axis ${bad} is not an axis of its ${rank}-D input (batch included)`, `use axes from 1 to ${rank - 1}`, 'shared_axes');
    }
    const alpha = alphaShape(input.shape, shared);
    if (alpha.some((d) => d === null)) {
      return checkLastKnown(node, input, 'feature') ?? argError(node, 'prelu needs every axis it learns an alpha for to have a known size',
        'share alpha along the `?` axes with `shared_axes`', 'shared_axes');
    }
    return success([...input.shape], [weight('alpha', alpha as number[])], 0);
  },
  targets: {
    // alpha is shaped in Keras's layout, so the tensor arrives channels-last.
    torch: {
      wants: 'last',
      module: (n, ctx) => pyCall('KerasPReLU', [pyTuple(alphaShape(ctx.inputShapes[0], (n.args.shared_axes as number[] | undefined) ?? []))]),
    },
    // alpha's shape is the input's without the batch axis (1 along shared axes): ONNX's PRelu broadcasts it the same way.
    onnx: (_node, ctx) => ctx.g.op('PRelu', [ctx.inputs[0].name, onnx.weightConstant(ctx, 'alpha')]),
    // alpha starts at zeros, in Keras and tfjs alike, so there is nothing to seed.
    tfjs: (node) => ({
      factory: 'prelu',
      config: { ...(Array.isArray(node.args.shared_axes) ? { sharedAxes: node.args.shared_axes as number[] } : {}), name: node.name },
    }),
  },
};
