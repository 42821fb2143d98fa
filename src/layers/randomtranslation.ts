import type { LayerDef } from './types.js';
import { num, seedOption } from '../targets/tfjs/index.js';
import { inferImagePassThrough, onnxInferenceIdentity, torchTransform, transformConfig, transformOptions } from './augmentation.js';

/** Keras 3's RandomTranslation: only while training, seeded by the run's seed. */
export const randomtranslation: LayerDef = {
  kind: 'randomtranslation',
  aliases: [],
  kerasClass: 'RandomTranslation',
  doc: 'Data augmentation: while training, shifts each image by a random fraction of its height and width; nothing at inference.',
  example: 'randomtranslation 0.1 0.1',
  positional: [
    { name: 'height_factor', arg: { type: 'float', min: -1, max: 1 }, doc: 'The largest vertical shift, as a fraction of the height (0.1: up to 10% up or down); its sign is ignored.' },
    { name: 'width_factor', arg: { type: 'float', min: -1, max: 1 }, doc: 'The largest horizontal shift, as a fraction of the width.' },
  ],
  options: transformOptions,
  arity: 1,
  infer: inferImagePassThrough,
  targets: {
    torch: torchTransform('translation', (n) => [n.args.height_factor!, n.args.width_factor!]),
    onnx: onnxInferenceIdentity,
    tfjs: (node, ctx) => ({
      factory: 'randomTranslation',
      custom: true,
      config: { heightFactor: num(node, 'height_factor'), widthFactor: num(node, 'width_factor'), ...transformConfig(node), ...seedOption(ctx), name: node.name },
    }),
  },
};
