import { torchMerge } from '../targets/torch/lowering.js';
import * as onnx from '../targets/onnx/index.js';
import { elementwiseDef, namedMerge } from './merge.js';

export const maximum = elementwiseDef({
  kind: 'maximum',
  kerasClass: 'Maximum',
  doc: 'Element-wise maximum of the tensors; the shapes must be equal (or 1, broadcast) on every axis but the batch.',
  example: 'maximum [a, b]',
  tfjs: namedMerge('maximum'),
  onnx: onnx.elementwiseMerge('Max'),
  torch: torchMerge('maximum'),
});
