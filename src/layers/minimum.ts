import { torchMerge } from '../targets/torch/lowering.js';
import { elementwiseDef, namedMerge } from './merge.js';

export const minimum = elementwiseDef({
  kind: 'minimum',
  kerasClass: 'Minimum',
  doc: 'Element-wise minimum of the tensors; the shapes must be equal (or 1, broadcast) on every axis but the batch.',
  example: 'minimum [a, b]',
  tfjs: namedMerge('minimum'),
  torch: torchMerge('minimum'),
});
