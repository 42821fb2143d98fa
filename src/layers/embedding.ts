import { warning } from '../diagnostics/diagnostic.js';
import { spanOf, success, weight } from './result.js';
import { formatDims, formatShape } from './shape.js';
import type { LayerDef } from './types.js';
import { embeddingsInitializerOption, embeddingsRegularizerOption } from './params.js';
import { num, seededInitializer, weightOptions } from '../targets/tfjs/index.js';
import * as onnx from '../targets/onnx/index.js';
import { kw, lit, pyCall } from '../targets/torch/lowering.js';

export const embedding: LayerDef = {
  kind: 'embedding',
  aliases: [],
  kerasClass: 'Embedding',
  doc: 'Turns integer token ids in [0, input_dim) into learned vectors of output_dim values: (batch, steps) → (batch, steps, output_dim).',
  example: 'embedding 10000 64',
  positional: [
    { name: 'input_dim', arg: { type: 'int', min: 1 }, doc: 'Vocabulary size: token ids go from 0 to input_dim - 1.' },
    { name: 'output_dim', arg: { type: 'int', min: 1 }, doc: 'Length of each token vector.' },
  ],
  options: [embeddingsInitializerOption, embeddingsRegularizerOption],
  arity: 1,
  outputRank: ([rank]) => rank + 1,
  // A table lookup: no multiply-accumulates.
  infer(node, [input]) {
    const inputDim = node.args.input_dim as number;
    const outputDim = node.args.output_dim as number;
    // Keras and tfjs cast float ids to integers, so this runs, but it is
    // almost always a missing `int32` on the input.
    const warnings = input.dtype === 'int32' ? [] : [
      warning('W-EMBEDDING-DTYPE',
        `embedding expects integer token ids; its input ${formatShape(input.shape)} is ${input.dtype}`,
        spanOf(node),
        `declare the token ids as integers: \`input ${formatDims(input.shape.slice(1))} int32\``),
    ];
    return success([...input.shape, outputDim], [weight('embeddings', [inputDim, outputDim])], 0,
      { outputDtype: 'float32', warnings });
  },
  targets: {
    torch: { wants: 'last', module: (n) => pyCall('KerasEmbedding', [kw('input_dim', lit(n.args.input_dim)), kw('output_dim', lit(n.args.output_dim))]) },
    tfjs: (node, ctx) => ({
      factory: 'embedding',
      config: {
        inputDim: num(node, 'input_dim'),
        outputDim: num(node, 'output_dim'),
        // Keras's default "uniform" initializer is RandomUniform(-0.05, 0.05), as is tfjs's.
        ...(ctx.seed === undefined ? {} : { embeddingsInitializer: seededInitializer('RandomUniform', ctx.seed, { minval: -0.05, maxval: 0.05 }) }),
        ...weightOptions(node, ctx, ['embeddings']),
        name: node.name,
      },
    }),
    // A row lookup; tfjs casts float ids to integers, and so does the graph.
    onnx: (_node, ctx) => {
      const { g } = ctx;
      const [x] = ctx.inputs;
      const ids = x.dtype === 'int32' ? x.name : g.op('Cast', [x.name], { to: onnx.int(6) });
      return g.op('Gather', [onnx.weightConstant(ctx, 'embeddings'), ids], { axis: onnx.int(0) });
    },
  },
};
