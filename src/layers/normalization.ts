/**
 * Keras's Normalization layer (`normalization`), and the normalised-axis rule
 * it shares with batchnorm and layernorm.
 */
import type { IRNode } from '../ir/types.js';
import { argError, shapeError, success, weight, type InferFailure } from './result.js';
import { formatShape } from './shape.js';
import type { InferInput, LayerDef } from './types.js';
import { axisIn, kw, lit, pyCall } from '../targets/torch/lowering.js';
import * as onnx from '../targets/onnx/index.js';
import { bool, num, type LowerableNode } from '../targets/tfjs/index.js';

/** A given mean or variance as the tfjs config holds it: a number, a list, or null when adapted. */
function givenValues(node: LowerableNode, key: string): number | number[] | null {
  const v = node.args[key];
  return typeof v === 'number' || Array.isArray(v) ? (v as number | number[]) : null;
}

/** The size of the axis named by `args.axis` (negative counts from the end), or why it has none. */
export function normalizedAxisSize(node: IRNode, input: InferInput): number | InferFailure {
  const rank = input.shape.length;
  const axis = node.args.axis as number;
  const index = axis < 0 ? rank + axis : axis;
  if (index < 1 || index >= rank) {
    return argError(node, `${node.kind} axis ${axis} is not a feature axis of its input ${formatShape(input.shape)}`,
      `use an axis from 1 to ${rank - 1} (or -1 for the last); axis 0 is the batch`, 'axis');
  }
  const size = input.shape[index];
  if (size === null) {
    return shapeError(node, `${node.kind} needs a known size on axis ${axis} to size ${node.kind === 'normalization' ? 'its mean and variance' : 'gamma and beta'}; got ${formatShape(input.shape)}`,
      'normalise a fixed-size axis (usually the last, channel axis)', 'axis');
  }
  return size;
}

/** A given mean or variance (a number, or one per feature) as one value per feature. */
export function valuesOf(v: unknown, features: number): number[] {
  if (typeof v === 'number') return Array<number>(features).fill(v);
  const list = v as number[];
  return list.length === 1 ? Array<number>(features).fill(list[0]!) : [...list];
}

/** Keras's backend epsilon (keras.config.epsilon()), the least standard deviation Normalization divides by. */
export const NORMALIZATION_EPSILON = 1e-7;

/**
 * Keras 3's Normalization (keras/src/layers/preprocessing/normalization.py):
 * (x − mean) / max(√variance, ε), or its inverse. Given `mean` and
 * `variance` it holds no weights; without them it has the non-trainable
 * weights mean and variance (one per feature) and count, which `mlc train`
 * (and the emitted train()) set from the training data before the first
 * epoch, as Keras's adapt() does.
 */
export const normalization: LayerDef = {
  kind: 'normalization',
  aliases: [],
  kerasClass: 'Normalization',
  doc: 'Standardises each feature: (x − mean) / √variance, with the mean and variance given or, left out, computed from the training data before training (Keras\'s adapt).',
  example: 'normalization',
  positional: [],
  options: [
    { name: 'axis', arg: { type: 'int' }, default: -1, doc: 'The feature axis, with its own mean and variance (-1: the last); the others are averaged over.' },
    { name: 'mean', arg: { type: 'floats' }, optional: true, doc: 'The mean to subtract: one number for every feature, or a list with one per feature; with `variance`. Left out, it is adapted from the training data.' },
    { name: 'variance', arg: { type: 'floats', min: 0 }, optional: true, doc: 'The variance to divide by (its square root), shaped like `mean`.' },
    { name: 'invert', arg: { type: 'bool' }, default: false, doc: 'Undo the normalisation instead: x · √variance + mean.' },
  ],
  arity: 1,
  infer(node, [input]) {
    const features = normalizedAxisSize(node, input);
    if (typeof features !== 'number') return features;
    const given = ['mean', 'variance'].filter((k) => node.args[k] !== undefined && node.args[k] !== null);
    if (given.length === 1) {
      const missing = given[0] === 'mean' ? 'variance' : 'mean';
      return argError(node, `normalization needs both mean and variance, or neither; ${missing} is missing`,
        `give ${missing}= too, or leave out both to compute them from the training data`, given[0]!);
    }
    // Keras broadcasts them to the feature axis: one value, or one per feature; and both alike.
    for (const key of given) {
      const v = node.args[key];
      if (Array.isArray(v) && v.length !== 1 && v.length !== features) {
        return argError(node, `normalization ${key} has ${v.length} values, but axis ${node.args.axis} has ${features} features`,
          `give one value per feature (${features}), or a single number for all`, key);
      }
    }
    if (given.length === 2 && valuesOf(node.args.mean, 1).length !== valuesOf(node.args.variance, 1).length) {
      return argError(node, 'normalization mean and variance must have the same shape', 'give both as single numbers, or both as lists of one value per feature', 'variance');
    }
    // Keras counts mean, variance (per feature) and count as non-trainable weights when it adapts them; given values are constants.
    const weights = given.length === 2 ? [] : [weight('mean', [features], false), weight('variance', [features], false), weight('count', [], false)];
    return success([...input.shape], weights, 0, { outputDtype: 'float32' });
  },
  targets: {
    // KerasNormalization (src/targets/torch/runtime-py.ts), channels-last; the torch engine adapts it as mlc train does.
    torch: {
      wants: 'last',
      module: (n, ctx) => {
        const rank = ctx.inputShapes[0]!.length;
        const axis = axisIn('last', rank, n.args.axis as number);
        const given = n.args.mean !== undefined && n.args.mean !== null ? [kw('mean', lit(n.args.mean)), kw('variance', lit(n.args.variance))] : [];
        return pyCall('KerasNormalization', [String(ctx.inputShapes[0]![axis]), kw('axis', String(axis)), kw('rank', String(rank)), ...given, kw('invert', lit(n.args.invert))]);
      },
    },
    onnx: (node, ctx) => {
      const { g } = ctx;
      const [x] = ctx.inputs;
      const rank = x.shape.length;
      const axis = onnx.featureAxis(node, rank);
      const size = x.shape[axis] as number;
      const given = node.args.mean !== undefined && node.args.mean !== null;
      const mean = given ? Float32Array.from(valuesOf(node.args.mean, size)) : onnx.hostWeight(ctx, 'mean').data;
      const variance = given ? Float32Array.from(valuesOf(node.args.variance, size)) : onnx.hostWeight(ctx, 'variance').data;
      const std = variance.map((v) => Math.max(Math.sqrt(v), NORMALIZATION_EPSILON));
      // Per feature along `axis`, broadcast over the axes after it.
      const dims = Array.from({ length: rank - axis }, (_, i) => (i === 0 ? size : 1));
      const v = x.dtype === 'float32' ? x.name : g.op('Cast', [x.name], { to: onnx.int(1 /* FLOAT */) });
      const meanC = g.floatConstant('mean', dims, mean);
      if (onnx.boolArg(node, 'invert', false)) return g.op('Add', [g.op('Mul', [v, g.floatConstant('std', dims, std)]), meanC], {}, 'Normalization');
      return g.op('Mul', [g.op('Sub', [v, meanC]), g.floatConstant('inverse_std', dims, std.map((s) => 1 / s))], {}, 'Normalization');
    },
    tfjs: (node) => ({
      factory: 'normalization',
      custom: true,
      config: {
        axis: num(node, 'axis'),
        mean: givenValues(node, 'mean'),
        variance: givenValues(node, 'variance'),
        invert: bool(node, 'invert'),
        name: node.name,
      },
    }),
  },
};
