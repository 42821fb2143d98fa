import { torchMerge } from '../targets/torch/lowering.js';
import * as onnx from '../targets/onnx/index.js';
import { elementwiseDef, namedMerge } from './merge.js';

export const minimum = elementwiseDef({
  kind: 'minimum',
  kerasClass: 'Minimum',
  doc: 'Element-wise minimum of the tensors; the shapes must be equal (or 1, broadcast) on every axis but the batch.',
  example: 'minimum [a, b]',
  tfjs: namedMerge('minimum'),
  onnx: onnx.elementwiseMerge('Min'),
  torch: torchMerge('minimum'),
});
