import { passThrough } from './result.js';
import type { LayerDef } from './types.js';
import { notYetInTorch } from '../targets/torch/lowering.js';
import { notYetInOnnx } from '../targets/onnx/index.js';
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
    torch: notYetInTorch,
    onnx: notYetInOnnx,
    tfjs: (node) => ({ factory: 'rescaling', config: { scale: num(node, 'scale'), offset: num(node, 'offset'), name: node.name } }),
  },
};
