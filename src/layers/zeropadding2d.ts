import { tuple } from '../targets/tfjs/index.js';
import { tupleArg } from './params.js';
import { success } from './result.js';
import type { LayerDef } from './types.js';
import { checkImageInput } from './window.js';
import * as onnx from '../targets/onnx/index.js';
import { pyTuple, torchFunction } from '../targets/torch/lowering.js';

export const zeropadding2d: LayerDef = {
  kind: 'zeropadding2d',
  aliases: [],
  kerasClass: 'ZeroPadding2D',
  doc: 'Adds rows and columns of zeros around an image: `padding` rows at the top and at the bottom, columns at the left and at the right.',
  example: 'zeropadding2d 3',
  positional: [{ name: 'padding', arg: { ...tupleArg(2), min: 0 }, default: [1, 1], doc: 'Zeros added on each side of height x width; `3` means 3x3.' }],
  options: [],
  arity: 1,
  infer(node, [input]) {
    const wrongRank = checkImageInput(node, input);
    if (wrongRank) return wrongRank;
    const [ph, pw] = node.args.padding as number[];
    const [, h, w, c] = input.shape;
    const grow = (d: number | null, p: number) => (d === null ? null : d + 2 * p);
    return success([null, grow(h, ph), grow(w, pw), c], [], 0, { outputDtype: input.dtype });
  },
  targets: {
    torch: torchFunction((n) => `keras_zero_pad(${pyTuple(n.args.padding)})`, 'first'),
    tfjs: (node) => {
      const [ph, pw] = tuple(node, 'padding');
      return { factory: 'zeroPadding2d', config: { padding: [[ph, ph], [pw, pw]], name: node.name } };
    },
    // Pad in whichever layout the image already has (channels-first after a convolution).
    onnx: (node, ctx) => {
      const { g } = ctx;
      const [x] = ctx.inputs;
      const [ph, pw] = onnx.tupleArg(node, 'padding', 2);
      return onnx.elementwise(g, x.name, 4, (v, channels) => {
        const side = channels === 1 ? [0, 0, ph, pw] : [0, ph, pw, 0];
        return g.op('Pad', [v, g.int64s([...side, ...side])], {}, 'ZeroPadding2D');
      });
    },
  },
};
