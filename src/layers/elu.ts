import { passThrough } from './result.js';
import type { LayerDef } from './types.js';
import { lit, torchFunction } from '../targets/torch/lowering.js';
import * as onnx from '../targets/onnx/index.js';
import { num } from '../targets/tfjs/index.js';

export const elu: LayerDef = {
  kind: 'elu',
  aliases: [],
  kerasClass: 'ELU',
  doc: 'Exponential linear unit: x for x > 0, alpha·(exp(x) − 1) below.',
  example: 'elu',
  positional: [{ name: 'alpha', arg: { type: 'float', min: 0 }, default: 1, doc: 'Scale of the negative part.' }],
  options: [],
  arity: 1,
  infer: (_node, [input]) => passThrough(input),
  targets: {
    torch: torchFunction((n) => `functools.partial(F.elu, alpha=${lit(n.args.alpha)})`, 'any'),
    onnx: (node, ctx) => {
      const [x] = ctx.inputs;
      return onnx.elementwise(ctx.g, x.name, x.shape.length, (v) => ctx.g.op('Elu', [v], { alpha: onnx.float(onnx.numArg(node, 'alpha', 1)) }));
    },
    // tfjs-layers' ELU refuses alpha ≠ 1: those run on mlc's own ELU (src/runtime/custom-layers).
    tfjs: (node) => ({ factory: 'elu', ...(num(node, 'alpha') === 1 ? {} : { custom: true }), config: { alpha: num(node, 'alpha'), name: node.name } }),
  },
};
