import { torchMerge } from '../targets/torch/lowering.js';
import { elementwiseDef, namedMerge } from './merge.js';

export const average = elementwiseDef({
  kind: 'average',
  kerasClass: 'Average',
  doc: 'Averages the tensors element by element; the shapes must be equal (or 1, broadcast) on every axis but the batch.',
  example: 'average [a, b]',
  tfjs: namedMerge('average'),
  torch: torchMerge('average'),
});
