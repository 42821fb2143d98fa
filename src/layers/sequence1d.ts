/**
 * Keras's 1-D padding, cropping and upsampling of (batch, steps, features):
 * ZeroPadding1D, Cropping1D, UpSampling1D. tfjs-layers has only the 2-D
 * forms, so they run on mlc's own layers (src/runtime/custom-layers/sequence.ts).
 */
import { shapeError, success } from './result.js';
import { pyTuple, spatialAxes, torchFunction, type TorchContext } from '../targets/torch/lowering.js';
import * as onnx from '../targets/onnx/index.js';
import type { InferInput, LayerDef } from './types.js';
import type { IRNode } from '../ir/types.js';
import { arg, num } from '../targets/tfjs/index.js';
import { checkSequenceInput } from './window.js';

/** `2` (both ends) or `[before, after]`. */
function ends(value: number[]): [number, number] {
  return value.length === 1 ? [value[0]!, value[0]!] : [value[0]!, value[1]!];
}

/** The steps axis of the (batch, steps, features) input in PyTorch, wherever its layout puts it, as a Python tuple. */
const stepAxis = (ctx: TorchContext) => pyTuple(spatialAxes(ctx.layout, 3));

function endsRule(node: IRNode, input: InferInput, key: 'padding' | 'cropping', sign: 1 | -1) {
  const wrong = checkSequenceInput(node, input);
  if (wrong) return wrong;
  const value = node.args[key] as number[];
  if (value.length > 2 || value.some((v) => v < 0)) {
    return shapeError(node, `${node.kind} takes one size for both ends or [before, after], each ≥ 0; got [${value.join(', ')}]`, `e.g. \`${node.kind} [1, 2]\``, key);
  }
  const [before, after] = ends(value);
  const steps = input.shape[1];
  const out = steps === null ? null : steps + sign * (before + after);
  if (out !== null && out <= 0) return shapeError(node, `${node.kind} [${before}, ${after}] removes all ${steps} steps of its input`, 'crop fewer steps', key);
  return success([null, out, input.shape[2]], [], 0, { outputDtype: input.dtype });
}

const endsParam = (key: 'padding' | 'cropping', doc: string) => ({ name: key, arg: { type: 'shape' } as const, default: [1], doc });

export const zeropadding1d: LayerDef = {
  kind: 'zeropadding1d',
  aliases: [],
  kerasClass: 'ZeroPadding1D',
  doc: 'Adds zero steps at the start and end of a sequence: `zeropadding1d 2`, or `[before, after]`.',
  example: 'zeropadding1d [2, 1]',
  positional: [endsParam('padding', 'Zero steps added at both ends, or [before, after].')],
  options: [],
  arity: 1,
  infer: (node, [input]) => endsRule(node, input, 'padding', 1),
  targets: {
    torch: torchFunction((n, ctx) => `keras_zero_pad_axes(${pyTuple([ends(n.args.padding as number[])])}, ${stepAxis(ctx)})`, 'any'),
    onnx: (node, ctx) => {
      const [before, after] = ends(node.args.padding as number[]);
      return ctx.g.op('Pad', [ctx.inputs[0].name, ctx.g.int64s([0, before, 0, 0, after, 0])], {}, 'ZeroPadding1D');
    },
    tfjs: (node) => ({ factory: 'zeroPadding1d', custom: true, config: { padding: ends(arg(node, 'padding') as number[]), name: node.name } }),
  },
};

export const cropping1d: LayerDef = {
  kind: 'cropping1d',
  aliases: [],
  kerasClass: 'Cropping1D',
  doc: 'Cuts steps off the start and end of a sequence: `cropping1d 1`, or `[before, after]`.',
  example: 'cropping1d [1, 2]',
  positional: [endsParam('cropping', 'Steps removed at both ends, or [before, after].')],
  options: [],
  arity: 1,
  infer: (node, [input]) => endsRule(node, input, 'cropping', -1),
  targets: {
    torch: torchFunction((n, ctx) => `keras_crop(${pyTuple([ends(n.args.cropping as number[])])}, ${stepAxis(ctx)})`, 'any'),
    onnx: (node, ctx) => onnx.crop(ctx.g, ctx.inputs[0].name, [1], [ends(node.args.cropping as number[])]),
    tfjs: (node) => ({ factory: 'cropping1D', custom: true, config: { cropping: ends(arg(node, 'cropping') as number[]), name: node.name } }),
  },
};

export const upsampling1d: LayerDef = {
  kind: 'upsampling1d',
  aliases: [],
  kerasClass: 'UpSampling1D',
  doc: 'Repeats each step of a sequence `size` times: (batch, steps, features) → (batch, steps·size, features).',
  example: 'upsampling1d 2',
  positional: [{ name: 'size', arg: { type: 'int', min: 1 }, default: 2, doc: 'How many times each step is repeated.' }],
  options: [],
  arity: 1,
  infer(node, [input]) {
    const wrong = checkSequenceInput(node, input);
    if (wrong) return wrong;
    const steps = input.shape[1];
    return success([null, steps === null ? null : steps * (node.args.size as number), input.shape[2]], [], 0, { outputDtype: input.dtype });
  },
  targets: {
    torch: torchFunction((n, ctx) => `keras_upsample(${pyTuple([n.args.size as number])}, "nearest", spatial_dims=${stepAxis(ctx)})`, 'any'),
    // (batch, steps, features) → (batch, steps, 1, features), tiled `size` times, then the two step axes merged.
    onnx: (node, ctx) => {
      const { g } = ctx;
      const [x] = ctx.inputs;
      const features = x.shape[2];
      if (features === null) onnx.unsupported(node, 'its input has an unknown number of features', 'give the input a known feature size');
      const steps = g.op('Unsqueeze', [x.name, g.int64s([2])]);
      const tiled = g.op('Tile', [steps, g.int64s([1, 1, onnx.numArg(node, 'size'), 1])]);
      return g.op('Reshape', [tiled, g.int64s([0, -1, features])], {}, 'UpSampling1D');
    },
    tfjs: (node) => ({ factory: 'upSampling1d', custom: true, config: { size: num(node, 'size'), name: node.name } }),
  },
};
