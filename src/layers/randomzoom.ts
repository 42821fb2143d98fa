import type { LayerDef } from './types.js';
import { num, seedOption } from '../targets/tfjs/index.js';
import { inferImagePassThrough, onnxInferenceIdentity, torchTransform, transformConfig, transformOptions } from './augmentation.js';

/** Keras 3's RandomZoom: only while training, seeded by the run's seed. */
export const randomzoom: LayerDef = {
  kind: 'randomzoom',
  aliases: [],
  kerasClass: 'RandomZoom',
  doc: 'Data augmentation: while training, zooms each image about its centre by a random factor (positive: out, negative: in); nothing at inference.',
  example: 'randomzoom 0.2',
  positional: [
    {
      name: 'height_factor',
      arg: { type: 'float', exclusiveMin: -1, max: 1 },
      doc: 'The largest zoom of the height, as a fraction (0.2: from 20% in to 20% out); its sign is ignored.',
    },
  ],
  options: [
    { name: 'width_factor', arg: { type: 'float', exclusiveMin: -1, max: 1 }, optional: true, doc: 'The largest zoom of the width; left out, the width zooms with the height (the aspect ratio is kept).' },
    ...transformOptions,
  ],
  arity: 1,
  infer: inferImagePassThrough,
  targets: {
    torch: torchTransform('zoom', (n) => [n.args.height_factor!, n.args.width_factor ?? null]),
    onnx: onnxInferenceIdentity,
    tfjs: (node, ctx) => ({
      factory: 'randomZoom',
      custom: true,
      config: {
        heightFactor: num(node, 'height_factor'),
        widthFactor: typeof node.args.width_factor === 'number' ? num(node, 'width_factor') : null,
        ...transformConfig(node),
        ...seedOption(ctx),
        name: node.name,
      },
    }),
  },
};
