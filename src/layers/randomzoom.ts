import type { LayerDef } from './types.js';
import { seedOption } from '../targets/tfjs/index.js';
import {
  checkFactorOrder, factorConfig, factorParam, inferImagePassThrough, onnxInferenceIdentity, torchTransform, transformConfig, transformOptions,
} from './augmentation.js';

/** Keras 3's RandomZoom: only while training, seeded by the run's seed. */
export const randomzoom: LayerDef = {
  kind: 'randomzoom',
  aliases: [],
  kerasClass: 'RandomZoom',
  doc: 'Data augmentation: while training, zooms each image about its centre by a random factor (positive: out, negative: in); nothing at inference.',
  example: 'randomzoom 0.2',
  positional: [
    factorParam('height_factor', { exclusiveMin: -1, max: 1 },
      'The largest zoom of the height, as a fraction (0.2: from 20% in to 20% out; its sign is ignored), or a pair `[lower, upper]` (`[-0.3, -0.1]`: 10% to 30% in).'),
  ],
  options: [
    factorParam('width_factor', { exclusiveMin: -1, max: 1 },
      'The largest zoom of the width, or a pair `[lower, upper]`; left out, the width zooms with the height (the aspect ratio is kept).', { optional: true }),
    ...transformOptions,
  ],
  arity: 1,
  infer: (node, inputs) => checkFactorOrder(node, ['height_factor', 'width_factor']) ?? inferImagePassThrough(node, inputs),
  targets: {
    torch: torchTransform('zoom', (n) => [n.args.height_factor!, n.args.width_factor ?? null]),
    onnx: onnxInferenceIdentity,
    tfjs: (node, ctx) => ({
      factory: 'randomZoom',
      custom: true,
      config: {
        heightFactor: factorConfig(node, 'height_factor'),
        widthFactor: node.args.width_factor === undefined || node.args.width_factor === null ? null : factorConfig(node, 'width_factor'),
        ...transformConfig(node),
        ...seedOption(ctx),
        name: node.name,
      },
    }),
  },
};
