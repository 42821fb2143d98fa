import type { LayerDef } from './types.js';
import { seedOption } from '../targets/tfjs/index.js';
import {
  checkFactorOrder, factorConfig, factorParam, inferImagePassThrough, onnxInferenceIdentity, torchTransform, transformConfig, transformOptions,
} from './augmentation.js';

/** Keras 3's RandomRotation: only while training, seeded by the run's seed. */
export const randomrotation: LayerDef = {
  kind: 'randomrotation',
  aliases: [],
  kerasClass: 'RandomRotation',
  doc: 'Data augmentation: while training, rotates each image about its centre by a random angle of up to ±factor of a full turn (or within [lower, upper]); nothing at inference.',
  example: 'randomrotation 0.1',
  positional: [
    factorParam('factor', { min: -1, max: 1 },
      'The largest rotation, as a fraction of a full turn (0.1: ±36°; its sign is ignored), or a pair `[lower, upper]` (`[-0.1, 0.05]`: 36° clockwise to 18° anticlockwise).'),
  ],
  options: transformOptions,
  arity: 1,
  infer: (node, inputs) => checkFactorOrder(node, ['factor']) ?? inferImagePassThrough(node, inputs),
  targets: {
    torch: torchTransform('rotation', (n) => [n.args.factor!]),
    onnx: onnxInferenceIdentity,
    tfjs: (node, ctx) => ({
      factory: 'randomRotation',
      custom: true,
      config: { factor: factorConfig(node, 'factor'), ...transformConfig(node), ...seedOption(ctx), name: node.name },
    }),
  },
};
