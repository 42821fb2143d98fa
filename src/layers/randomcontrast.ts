import type { LayerDef } from './types.js';
import { kw, lit, pyCall } from '../targets/torch/lowering.js';
import { seedOption, tuple } from '../targets/tfjs/index.js';
import { argError } from './result.js';
import { checkFactorOrder, factorConfig, factorParam, inferImagePassThrough, onnxInferenceIdentity } from './augmentation.js';

/** Keras 3's RandomContrast: only while training, seeded by the run's seed. */
export const randomcontrast: LayerDef = {
  kind: 'randomcontrast',
  aliases: [],
  kerasClass: 'RandomContrast',
  doc: 'Data augmentation: while training, scales each image\'s distance from its per-channel mean by a random contrast in [1 − factor, 1 + factor] (or [1 − lower, 1 + upper]), clipped to value_range; nothing at inference.',
  example: 'randomcontrast 0.2',
  positional: [
    factorParam('factor', { min: 0, max: 1 },
      'How far the contrast may move from 1 either way (0.2: 0.8 to 1.2), or a pair `[lower, upper]`: down by up to lower, up by up to upper (`[0.1, 0.5]`: 0.9 to 1.5), as Keras 3 documents it.'),
  ],
  options: [
    {
      name: 'value_range',
      arg: { type: 'tuple', length: 2, min: -1_000_000 },
      default: [0, 255],
      doc: 'The range of the pixel values, which the output is clipped to: `[0, 255]`, or `[0, 1]` after `rescaling 1/255`.',
    },
  ],
  arity: 1,
  infer(node, inputs) {
    const [low, high] = node.args.value_range as number[];
    if (!(low! < high!)) return argError(node, `randomcontrast value_range [${low}, ${high}] is empty`, 'give the lower bound first, e.g. `value_range=[0, 255]`', 'value_range');
    return checkFactorOrder(node, ['factor']) ?? inferImagePassThrough(node, inputs);
  },
  targets: {
    torch: { wants: 'last', module: (n) => pyCall('KerasRandomContrast', [lit(n.args.factor), kw('value_range', lit(n.args.value_range))]) },
    onnx: onnxInferenceIdentity,
    tfjs: (node, ctx) => ({
      factory: 'randomContrast',
      custom: true,
      config: { factor: factorConfig(node, 'factor'), valueRange: tuple(node, 'value_range'), ...seedOption(ctx), name: node.name },
    }),
  },
};
