/**
 * A layer lowering turns one IR node into the tfjs-layers factory call that
 * builds it, as plain data: `{factory: 'conv2d', config: {filters: 32, ...}}`
 * means `tf.layers.conv2d({filters: 32, ...})`. The runtime builds layers
 * from these specs and the code generator prints the same specs as
 * TypeScript, so the two cannot drift apart. Nothing in this folder imports
 * TensorFlow.js.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ArgValue, IRNode } from '../../ir/types.js';

/** A config value: JSON data, or a nested layer (bidirectional's wrapped recurrent layer). */
export type TfConfigValue = number | string | boolean | null | TfConfigValue[] | TfLayerSpec | { [key: string]: TfConfigValue };

export interface TfLayerSpec {
  /** The name of the factory function under `tf.layers`, e.g. "conv2d", "maxPooling2d". */
  factory: string;
  /** The factory's argument, camelCase tfjs names, e.g. {filters, kernelSize, strides, ...}. */
  config: { [key: string]: TfConfigValue };
}

/** What a lowering needs besides the node. */
export interface LowerContext {
  /** Seed for this layer's initializers and dropout; absent means unseeded (random). */
  seed?: number;
}

/** The part of an IR node a lowering reads; a wrapped layer (bidirectional's) has no id or inputs. */
export type LowerableNode = Pick<IRNode, 'kind' | 'kerasClass' | 'name' | 'args'> & Partial<Pick<IRNode, 'span' | 'argSpans' | 'id'>>;

export type Lowering = (node: LowerableNode, ctx: LowerContext) => TfLayerSpec;

/** Thrown by a lowering when the IR asks for something tfjs cannot run; carries a Diagnostic that points at the spec. */
export class LoweringError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

export type Args = Record<string, ArgValue>;
