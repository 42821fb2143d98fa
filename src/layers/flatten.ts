import { shapeError, success } from './result.js';
import { elementCount, formatShape } from './shape.js';
import type { LayerDef } from './types.js';
import * as onnx from '../targets/onnx/index.js';
import { torchFunction } from '../targets/torch/lowering.js';

export const flatten: LayerDef = {
  kind: 'flatten',
  aliases: [],
  kerasClass: 'Flatten',
  doc: 'Flattens every axis but the batch into one: (batch, 7, 7, 64) → (batch, 3136).',
  example: 'flatten',
  positional: [],
  options: [],
  arity: 1,
  outputRank: () => 2,
  infer(node, [input]) {
    const count = elementCount(input.shape.slice(1));
    if (count === null) {
      return shapeError(node,
        `flatten needs every dimension but the batch known; got ${formatShape(input.shape)}`,
        'a `?` dimension has no fixed size to flatten: use `globalavgpool` or `globalmaxpool` to remove it, or give the input a fixed size');
    }
    return success([null, count], [], 0, { outputDtype: input.dtype });
  },
  targets: {
    torch: torchFunction(() => 'keras_flatten', 'last'),
    tfjs: (node) => ({ factory: 'flatten', config: { name: node.name } }),
    // The values are channels-last in the graph too, so this is Keras's order.
    onnx: (_node, ctx) => ctx.g.op('Flatten', [ctx.inputs[0].name], { axis: onnx.int(1) }),
  },
};
