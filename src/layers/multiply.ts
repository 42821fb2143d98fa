import { torchMerge } from '../targets/torch/lowering.js';
import * as onnx from '../targets/onnx/index.js';
import { elementwiseDef, namedMerge } from './merge.js';

export const multiply = elementwiseDef({
  kind: 'multiply',
  kerasClass: 'Multiply',
  doc: 'Multiplies the tensors element by element (gating); the shapes must be equal (or 1, broadcast) on every axis but the batch.',
  example: 'multiply [a, b]',
  tfjs: namedMerge('multiply'),
  onnx: onnx.elementwiseMerge('Mul'),
  torch: torchMerge('multiply'),
});
