import { torchMerge } from '../targets/torch/lowering.js';
import * as onnx from '../targets/onnx/index.js';
import { elementwiseDef } from './merge.js';

export const subtract = elementwiseDef({
  kind: 'subtract',
  kerasClass: 'Subtract',
  doc: 'The first tensor minus the second, element by element; the shapes must be equal (or 1, broadcast) on every axis but the batch.',
  example: 'subtract [a, b]',
  pair: true,
  // tfjs-layers 4.22 has no Subtract: mlc supplies it (src/runtime/custom-layers).
  tfjs: (node) => ({ factory: 'subtract', custom: true, config: { name: node.name } }),
  onnx: onnx.elementwiseMerge('Sub'),
  torch: torchMerge('subtract'),
});
