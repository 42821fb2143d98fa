import { torchMerge } from '../targets/torch/lowering.js';
import * as onnx from '../targets/onnx/index.js';
import { elementwiseDef, namedMerge } from './merge.js';

export const average = elementwiseDef({
  kind: 'average',
  kerasClass: 'Average',
  doc: 'Averages the tensors element by element; the shapes must be equal (or 1, broadcast) on every axis but the batch.',
  example: 'average [a, b]',
  tfjs: namedMerge('average'),
  onnx: onnx.elementwiseMerge('Mean'),
  torch: torchMerge('average'),
});
