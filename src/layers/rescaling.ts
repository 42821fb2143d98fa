import { passThrough } from './result.js';
import type { LayerDef } from './types.js';
import { lit, torchFunction } from '../targets/torch/lowering.js';
import * as onnx from '../targets/onnx/index.js';
import { num } from '../targets/tfjs/index.js';

export const rescaling: LayerDef = {
  kind: 'rescaling',
  aliases: [],
  kerasClass: 'Rescaling',
  doc: 'Multiplies by `scale` and adds `offset`, e.g. `rescaling 1/255` maps pixels to [0, 1].',
  example: 'rescaling 0.00392156862745098',
  positional: [{ name: 'scale', arg: { type: 'float' }, doc: 'The factor, e.g. 1/255 = 0.0039215686.' }],
  options: [{ name: 'offset', arg: { type: 'float' }, default: 0, doc: 'Added after scaling, e.g. -1 with scale 1/127.5 for [-1, 1].' }],
  arity: 1,
  infer: (_node, [input]) => ({ ...passThrough(input), outputDtype: 'float32' }),
  targets: {
    torch: torchFunction((n) => `keras_rescaling(${lit(n.args.scale)}, ${lit(n.args.offset)})`, 'any'),
    onnx: (node, ctx) => {
      const { g } = ctx;
      const [x] = ctx.inputs;
      // Integer pixels become floats first, as in Keras.
      const v = x.dtype === 'float32' ? x.name : g.op('Cast', [x.name], { to: onnx.int(1 /* FLOAT */) });
      return g.op('Add', [g.op('Mul', [v, g.floatValues([onnx.numArg(node, 'scale')], true)]), g.floatValues([onnx.numArg(node, 'offset', 0)], true)], {}, 'Rescaling');
    },
    tfjs: (node) => ({ factory: 'rescaling', config: { scale: num(node, 'scale'), offset: num(node, 'offset'), name: node.name } }),
  },
};
