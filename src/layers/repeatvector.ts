import { checkRank, success } from './result.js';
import type { LayerDef } from './types.js';
import { lit, torchFunction } from '../targets/torch/lowering.js';
import * as onnx from '../targets/onnx/index.js';
import { num } from '../targets/tfjs/index.js';

export const repeatvector: LayerDef = {
  kind: 'repeatvector',
  aliases: [],
  kerasClass: 'RepeatVector',
  doc: 'Repeats a vector n times: (batch, features) → (batch, n, features), e.g. to feed a decoder RNN.',
  example: 'repeatvector 10',
  positional: [{ name: 'n', arg: { type: 'int', min: 1 }, doc: 'How many times to repeat.' }],
  options: [],
  arity: 1,
  outputRank: () => 3,
  infer(node, [input]) {
    const wrong = checkRank(node, input, 2, '(batch, features)', 'add `flatten` before it');
    if (wrong) return wrong;
    return success([null, node.args.n as number, input.shape[1]], [], 0);
  },
  targets: {
    torch: torchFunction((n) => `keras_repeat_vector(${lit(n.args.n)})`, 'any'),
    // (batch, features) → (batch, 1, features), tiled n times along the new axis.
    onnx: (node, ctx) => {
      const { g } = ctx;
      const once = g.op('Unsqueeze', [ctx.inputs[0].name, g.int64s([1])]);
      return g.op('Tile', [once, g.int64s([1, onnx.numArg(node, 'n'), 1])], {}, 'RepeatVector');
    },
    tfjs: (node) => ({ factory: 'repeatVector', config: { n: num(node, 'n'), name: node.name } }),
  },
};
