import type { LayerDef } from './types.js';
import { seedOption } from '../targets/tfjs/index.js';
import {
  checkFactorOrder, factorConfig, factorParam, inferImagePassThrough, onnxInferenceIdentity, torchTransform, transformConfig, transformOptions,
} from './augmentation.js';

/** Keras 3's RandomTranslation: only while training, seeded by the run's seed. */
export const randomtranslation: LayerDef = {
  kind: 'randomtranslation',
  aliases: [],
  kerasClass: 'RandomTranslation',
  doc: 'Data augmentation: while training, shifts each image by a random fraction of its height and width; nothing at inference.',
  example: 'randomtranslation 0.1 0.1',
  positional: [
    factorParam('height_factor', { min: -1, max: 1 },
      'The largest vertical shift, as a fraction of the height (0.1: up to 10% up or down; its sign is ignored), or a pair `[lower, upper]` (`[-0.2, 0]`: up to 20% up, negative being up).'),
    factorParam('width_factor', { min: -1, max: 1 }, 'The largest horizontal shift, as a fraction of the width, or a pair `[lower, upper]` (negative: left).'),
  ],
  options: transformOptions,
  arity: 1,
  infer: (node, inputs) => checkFactorOrder(node, ['height_factor', 'width_factor']) ?? inferImagePassThrough(node, inputs),
  targets: {
    torch: torchTransform('translation', (n) => [n.args.height_factor!, n.args.width_factor!]),
    onnx: onnxInferenceIdentity,
    tfjs: (node, ctx) => ({
      factory: 'randomTranslation',
      custom: true,
      config: { heightFactor: factorConfig(node, 'height_factor'), widthFactor: factorConfig(node, 'width_factor'), ...transformConfig(node), ...seedOption(ctx), name: node.name },
    }),
  },
};
