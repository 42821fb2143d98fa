import { error } from '../diagnostics/diagnostic.js';
import type { Dim } from '../ir/types.js';
import { num } from '../targets/tfjs/index.js';
import { describeInput, inputNotes } from './merge.js';
import { fail, spanOf, success } from './result.js';
import type { LayerDef } from './types.js';
import * as onnx from '../targets/onnx/index.js';
import { axisIn, torchFunction } from '../targets/torch/lowering.js';

export const concat: LayerDef = {
  kind: 'concat',
  aliases: ['concatenate'],
  kerasClass: 'Concatenate',
  doc: 'Joins the tensors along one axis (the last, channels, by default); every other axis must match.',
  example: 'concat [a, b]',
  positional: [],
  options: [{ name: 'axis', arg: { type: 'int' }, default: -1, doc: 'The axis to join along (-1: the last; 0, the batch, is not allowed).' }],
  arity: 'n',
  infer(node, inputs) {
    const rank = inputs[0].shape.length;
    const axisArg = node.args.axis as number;
    const axis = axisArg < 0 ? rank + axisArg : axisArg;
    const fault = (message: string, help: string) => {
      const d = error('E-SHAPE', message, spanOf(node), help);
      d.related = inputNotes(inputs);
      return fail(d);
    };
    const other = inputs.find((i) => i.shape.length !== rank);
    if (other) {
      return fault(`concat needs tensors of the same rank; ${describeInput(inputs[0])} and ${describeInput(other)} differ`,
        'flatten or reshape one of them first, so that both have the same number of axes');
    }
    if (axis < 1 || axis >= rank) {
      return fail(error('E-ARG', `concat axis ${axisArg} is not a feature axis of its ${rank}-D inputs`, spanOf(node, 'axis'),
        `use an axis from 1 to ${rank - 1} (or -1 for the last); axis 0 is the batch`));
    }
    const out: Dim[] = [...inputs[0].shape];
    for (let k = 1; k < rank; k++) {
      if (k === axis) {
        out[k] = inputs.every((i) => i.shape[k] !== null) ? inputs.reduce((n, i) => n + (i.shape[k] as number), 0) : null;
        continue;
      }
      const known = inputs.find((i) => i.shape[k] !== null);
      const differs = known && inputs.find((i) => i.shape[k] !== null && i.shape[k] !== known.shape[k]);
      if (known && differs) {
        return fault(`concat along axis ${axisArg} needs every other axis equal; ${describeInput(known)} and ${describeInput(differs)} differ on axis ${k}`,
          'bring the sizes together first (strides, pooling, padding=same, or upsample)');
      }
      out[k] = known ? known.shape[k] : null;
    }
    return success(out, [], 0);
  },
  targets: {
    torch: torchFunction((n, ctx) => `keras_merge("concat", axis=${axisIn(ctx.layout, ctx.inputShapes[0].length, n.args.axis as number)})`, 'any'),
    tfjs: (node) => ({ factory: 'concatenate', config: { axis: num(node, 'axis'), name: node.name } }),
    onnx: (node, ctx) => {
      const rank = ctx.inputs[0].shape.length;
      const axis = onnx.numArg(node, 'axis');
      return onnx.mergeInLayout(ctx, (values, a) => ctx.g.op('Concat', values, { axis: onnx.int(a!) }), axis < 0 ? rank + axis : axis);
    },
  },
};
