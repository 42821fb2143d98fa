/**
 * What one layer kind's ONNX lowering receives and returns. A lowering adds
 * the layer's nodes to the graph (its weights as initializers) and returns
 * the name of the value holding the layer's output, channels-last as in
 * Keras. Nothing here imports TensorFlow.js.
 */
import { DiagnosticError, error } from '../../diagnostics/diagnostic.js';
import type { DType, IRNode, Shape } from '../../ir/types.js';
import type { SavedWeight } from '../../runtime/saved-weights.js';
import type { OnnxGraph } from './graph.js';

/** A value in the graph with its Keras shape (batch dimension first, null where unknown). */
export interface OnnxTensor {
  name: string;
  shape: Shape;
  dtype: DType;
}

/** The part of an IR node a lowering reads; a wrapped layer (bidirectional's) has no id or inputs. */
export type OnnxLowerableNode = Pick<IRNode, 'kind' | 'kerasClass' | 'name' | 'args'> & Partial<Pick<IRNode, 'span' | 'argSpans' | 'id'>>;

export interface OnnxLowerContext {
  g: OnnxGraph;
  /** The node's inputs, in the IR's order. */
  inputs: OnnxTensor[];
  /** A trained weight of this layer by its Keras name (`kernel`, `forward_lstm/bias`, ...). */
  weight(name: string): SavedWeight & { data: Float32Array };
  /** Whether the layer has a weight of that name (`bias` when use_bias=true, batchnorm's gamma when scale=true). */
  hasWeight(name: string): boolean;
}

export type OnnxLowering = (node: OnnxLowerableNode, ctx: OnnxLowerContext) => string;

/** The layer cannot be written as ONNX: a diagnostic at the layer (or the argument) in the spec. */
export function unsupported(node: OnnxLowerableNode, message: string, help: string, arg?: string): never {
  throw new DiagnosticError(error('E-ONNX-UNSUPPORTED', `layer \`${node.name}\` (${node.kind}): ${message}`,
    (arg ? node.argSpans?.[arg] : undefined) ?? node.span, help));
}
