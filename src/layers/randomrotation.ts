import type { LayerDef } from './types.js';
import { num, seedOption } from '../targets/tfjs/index.js';
import { inferImagePassThrough, onnxInferenceIdentity, torchTransform, transformConfig, transformOptions } from './augmentation.js';

/** Keras 3's RandomRotation: only while training, seeded by the run's seed. */
export const randomrotation: LayerDef = {
  kind: 'randomrotation',
  aliases: [],
  kerasClass: 'RandomRotation',
  doc: 'Data augmentation: while training, rotates each image about its centre by a random angle of up to ±factor of a full turn; nothing at inference.',
  example: 'randomrotation 0.1',
  positional: [
    { name: 'factor', arg: { type: 'float', min: -1, max: 1 }, doc: 'The largest rotation, as a fraction of a full turn (0.1: ±36°); its sign is ignored.' },
  ],
  options: transformOptions,
  arity: 1,
  infer: inferImagePassThrough,
  targets: {
    torch: torchTransform('rotation', (n) => [n.args.factor!]),
    onnx: onnxInferenceIdentity,
    tfjs: (node, ctx) => ({
      factory: 'randomRotation',
      custom: true,
      config: { factor: num(node, 'factor'), ...transformConfig(node), ...seedOption(ctx), name: node.name },
    }),
  },
};
