/**
 * The ONNX target: how an IR node is said as ONNX nodes. Each layer kind's
 * definition (src/layers/KIND.ts) holds its own lowering; this module holds
 * what those lowerings share: the graph builder, activations, argument and
 * weight readers, padding, the recurrent cells and the merges. ./export.ts
 * walks a model's DAG and encodes the result (./proto.ts, protobufjs); the
 * definitions never load protobufjs.
 */
export type { OnnxLowerContext, OnnxLowerableNode, OnnxLowering, OnnxTensor } from './types.js';
export { unsupported } from './types.js';
export { OnnxGraph, float, floats, int, ints, str, strs, type Attr } from './graph.js';
export { activatedChannelsLast, activationName, applyActivation, isElementwise } from './activations.js';
export { boolArg, constantOf, crop, elementwise, featureAxis, hostWeight, identity, numArg, tupleArg, weightConstant } from './common.js';
export { permute } from './tensor.js';
export { paddingAttrs, type Window } from './padding.js';
export { recurrentOnnx } from './recurrent.js';
export { elementwiseMerge, l2Normalize, mergeInLayout } from './merges.js';
