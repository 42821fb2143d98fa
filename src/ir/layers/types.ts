/**
 * The shape of a layer-kind definition. Each kind is declared once, in
 * src/ir/layers/KIND.ts: its names, Keras class, positional signature and
 * options (types, defaults, ranges: the IR schema fragment and the help text
 * are derived from these), and its pure `infer` rule.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ArgValue, DType, IRNode, Shape } from '../types.js';

export type ArgType =
  | { type: 'int'; min?: number; max?: number }
  | { type: 'float'; min?: number; max?: number; exclusiveMin?: number; exclusiveMax?: number }
  | { type: 'bool' }
  | { type: 'string' }
  | { type: 'enum'; values: readonly string[] }
  /** n positive integers; a single integer `5` is widened to n copies (`5` means `5x5` for n = 2). */
  | { type: 'tuple'; length: number; min?: number }
  /** A target shape for reshape: dims, one of which may be -1. */
  | { type: 'shape' }
  /** A wrapped layer (bidirectional's recurrent layer). */
  | { type: 'layer'; kinds: readonly string[] };

export interface ParamSpec {
  /** The Keras argument name. */
  name: string;
  arg: ArgType;
  /** Filled into the IR when the spec does not give it. Absent and not `optional`: required. */
  default?: ArgValue;
  /** May be left out with no default (e.g. `seed`). */
  optional?: boolean;
  /** Short DSL aliases, e.g. `stride` for `strides`. */
  aliases?: readonly string[];
  doc: string;
}

export interface InferInput {
  /** Shape with the batch dimension first (null). */
  shape: Shape;
  dtype: DType;
}

export type InferResult =
  | {
      ok: true;
      outputShape: Shape;
      trainableParams: number;
      nonTrainableParams: number;
      macs: number;
      weights: { name: string; shape: number[]; trainable: boolean }[];
      /** For kinds whose Keras class depends on the input (global pooling by rank). */
      kerasClass?: string;
      outputDtype?: DType;
    }
  | { ok: false; diagnostics: Diagnostic[] };

export interface LayerDef {
  /** Canonical DSL kind. */
  kind: string;
  aliases: readonly string[];
  /** The Keras class; for rank-dependent kinds the rank-2-input one, refined by `infer`. */
  kerasClass: string;
  /** One line for `--help` and the language reference. */
  doc: string;
  /** A one-line DSL example. */
  example: string;
  /** In order; optional ones (e.g. a trailing activation) last. */
  positional: readonly ParamSpec[];
  options: readonly ParamSpec[];
  infer(node: IRNode, inputs: InferInput[]): InferResult;
}
