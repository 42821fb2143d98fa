import { argError, success } from './result.js';
import type { LayerDef } from './types.js';
import { pyTuple, torchFunction } from '../targets/torch/lowering.js';
import * as onnx from '../targets/onnx/index.js';
import { arg } from '../targets/tfjs/index.js';

export const permute: LayerDef = {
  kind: 'permute',
  aliases: [],
  kerasClass: 'Permute',
  doc: 'Reorders the axes (batch excluded, counted from 1): `permute [2, 1]` swaps steps and features.',
  example: 'permute [2, 1]',
  positional: [{ name: 'dims', arg: { type: 'shape' }, doc: 'The new order of the axes, numbered from 1, e.g. `[2, 1]`.' }],
  options: [],
  arity: 1,
  infer(node, [input]) {
    const dims = node.args.dims as number[];
    const n = input.shape.length - 1;
    const sorted = [...dims].sort((a, b) => a - b);
    if (dims.length !== n || sorted.some((d, i) => d !== i + 1)) {
      return argError(node, `permute [${dims.join(', ')}] is not an order of the ${n} axes of its input (numbered 1 to ${n})`,
        `list each of 1..${n} once, e.g. \`permute [${Array.from({ length: n }, (_, i) => n - i).join(', ')}]\``, 'dims');
    }
    return success([null, ...dims.map((d) => input.shape[d])], [], 0, { outputDtype: input.dtype });
  },
  targets: {
    // Keras's axes, so the tensor arrives channels-last.
    torch: torchFunction((n) => `keras_permute(${pyTuple(n.args.dims)})`, 'last'),
    onnx: (node, ctx) => ctx.g.op('Transpose', [ctx.inputs[0].name], { perm: onnx.ints([0, ...(node.args.dims as number[])]) }),
    tfjs: (node) => ({ factory: 'permute', config: { dims: arg(node, 'dims') as number[], name: node.name } }),
  },
};
