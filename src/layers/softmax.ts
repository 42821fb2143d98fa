import { argError, passThrough } from './result.js';
import type { LayerDef } from './types.js';
import { axisIn, torchFunction } from '../targets/torch/lowering.js';
import * as onnx from '../targets/onnx/index.js';
import { num } from '../targets/tfjs/index.js';

export const softmax: LayerDef = {
  kind: 'softmax',
  aliases: [],
  kerasClass: 'Softmax',
  doc: 'Softmax over an axis: the values along it become probabilities that sum to 1.',
  example: 'softmax',
  positional: [],
  options: [{ name: 'axis', arg: { type: 'int' }, default: -1, doc: 'The axis normalised (-1: the last).' }],
  arity: 1,
  infer(node, [input]) {
    const axis = node.args.axis as number;
    const rank = input.shape.length;
    if (axis === 0 || axis < -rank || axis >= rank) {
      return argError(node, `softmax axis ${axis} is not a feature axis of its ${rank}-D input (batch included)`,
        `use an axis from 1 to ${rank - 1}, or a negative one from -1 to -${rank - 1}`, 'axis');
    }
    // tfjs-layers runs Softmax along the last axis only ("not yet supported" at run time otherwise).
    if (axis !== -1 && axis !== rank - 1) {
      return argError(node, `softmax along axis ${axis} of a ${rank}-D input cannot run on TensorFlow.js, which only normalises the last axis`,
        'use axis=-1, or permute the axis to normalise to the end first (`permute`)', 'axis');
    }
    return passThrough(input);
  },
  targets: {
    torch: torchFunction((n, ctx) => `functools.partial(torch.softmax, dim=${axisIn(ctx.layout, ctx.inputShapes[0].length, n.args.axis as number)})`, 'any'),
    onnx: (node, ctx) => ctx.g.op('Softmax', [ctx.inputs[0].name], { axis: onnx.int(onnx.numArg(node, 'axis', -1)) }),
    tfjs: (node) => ({ factory: 'softmax', config: { axis: num(node, 'axis'), name: node.name } }),
  },
};
