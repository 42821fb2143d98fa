import { torchMerge } from '../targets/torch/lowering.js';
import * as onnx from '../targets/onnx/index.js';
import { elementwiseDef, namedMerge } from './merge.js';

export const add = elementwiseDef({
  kind: 'add',
  kerasClass: 'Add',
  doc: 'Adds the tensors element by element (a residual connection); the shapes must be equal (or 1, broadcast) on every axis but the batch.',
  example: 'add [_, x]',
  tfjs: namedMerge('add'),
  onnx: onnx.elementwiseMerge('Add'),
  torch: torchMerge('add'),
});
