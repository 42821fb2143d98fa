/**
 * The shape of a layer-kind definition. Everything mlc knows about a kind is
 * declared once, in src/layers/KIND.ts: its names, Keras class, arity,
 * positional signature and options (types, defaults, ranges: the IR schema
 * fragment, the help text and the language reference are derived from these),
 * its pure `infer` rule, and its lowering to each target. Every field is
 * required, so the type checker refuses a kind that lacks a part.
 */
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { ArgValue, DType, IRNode, Shape } from '../ir/types.js';
import type { OnnxLowering } from '../targets/onnx/index.js';
import type { TfjsLowering } from '../targets/tfjs/index.js';
import type { TorchLayer } from '../targets/torch/lowering.js';

export type ArgType =
  | { type: 'int'; min?: number; max?: number }
  | { type: 'float'; min?: number; max?: number; exclusiveMin?: number; exclusiveMax?: number }
  | { type: 'bool' }
  | { type: 'string' }
  | { type: 'enum'; values: readonly string[] }
  /** n positive integers; a single integer `5` is widened to n copies (`5` means `5x5` for n = 2). */
  | { type: 'tuple'; length: number; min?: number }
  /**
   * A target shape for reshape, without the batch dimension. In the IR: an
   * array of positive integers, at most one of which is -1 ("inferred";
   * written `?` in the DSL, which the lowering may store as -1 or null: infer
   * accepts both). A single integer `784` is [784].
   */
  | { type: 'shape' }
  /** A number, or a list of numbers (one per feature): normalization's mean and variance. In the IR: a number or an array of them. */
  | { type: 'floats'; min?: number }
  /**
   * A Keras augmentation factor: one number, or a pair `[lower, upper]` of
   * numbers with lower ≤ upper (the layer says what each means); every number
   * within the bounds. In the IR: the number, or an array of the two.
   */
  | { type: 'factor'; min?: number; max?: number; exclusiveMin?: number }
  /**
   * A wrapped layer (bidirectional's recurrent layer). It takes the rest of
   * the positional values (`bidirectional lstm 64 relu`: the inner kind, then
   * its positionals); options the wrapper does not declare belong to the
   * inner layer. In the IR: {kind, kerasClass, name, args} with the inner
   * def's defaults filled in, like a node.
   */
  | { type: 'layer'; kinds: readonly string[] }
  /** A weight regularizer, `l2(1e-4)`, `l1(0.01)`, `l1_l2(l1=..., l2=...)` or a bare name (Keras's defaults); in the IR {l1, l2} (src/layers/params.ts REGULARIZERS). */
  | { type: 'regularizer' };

export interface ParamSpec {
  /** The Keras argument name. */
  name: string;
  arg: ArgType;
  /** Filled into the IR when the spec does not give it. Absent and not `optional`: required. */
  default?: ArgValue;
  /** May be left out with no default (e.g. `seed`). */
  optional?: boolean;
  /**
   * When not written, take the value of this other argument of the same layer
   * (pooling `strides` = `pool_size`, as in Keras). `default` is then null, and
   * infer also accepts null as "same as that argument", so an IR that keeps
   * the null is still valid (Keras and tfjs read strides=None the same way).
   */
  defaultFrom?: string;
  /** Short DSL aliases, e.g. `stride` for `strides`. */
  aliases?: readonly string[];
  doc: string;
}

export interface InferInput {
  /** Shape with the batch dimension first (null). */
  shape: Shape;
  dtype: DType;
  /** Where the tensor was made (the layer or input that produced it), for messages about several inputs. */
  origin?: { name: string; span?: Span };
}

export type InferResult =
  | {
      ok: true;
      outputShape: Shape;
      trainableParams: number;
      nonTrainableParams: number;
      /**
       * Multiply-accumulates of one sample's forward pass, counted as torchinfo
       * does: only the products with weight matrices (dense, conv, recurrent;
       * bidirectional twice its layer). Pooling, normalisation, activation,
       * dropout, reshape and embedding lookups count 0. A `?` dimension counts
       * as 1, so for an unknown sequence length the figure is per time step.
       */
      macs: number;
      weights: { name: string; shape: number[]; trainable: boolean }[];
      /** Absent means float32. */
      outputDtype?: DType;
      /** Problems that do not stop inference (e.g. an embedding fed float32 values). */
      warnings?: Diagnostic[];
    }
  | { ok: false; diagnostics: Diagnostic[] };

/** How a kind is said on each target mlc lowers to. */
export interface LayerTargets {
  /** tfjs-layers: used by the runtime (`mlc train`) and by the TypeScript emitter. */
  tfjs: TfjsLowering;
  /** ONNX nodes in a graph: used by `mlc export --onnx`. */
  onnx: OnnxLowering;
  /** PyTorch: the module of `mlc emit --target pytorch` and `mlc train --engine torch`, and the layout it takes. */
  torch: TorchLayer;
}

export interface LayerDef {
  /** Canonical DSL kind. */
  kind: string;
  aliases: readonly string[];
  /** The Keras class; for rank-dependent kinds (global pooling) the 2D one, see `classForRank`. */
  kerasClass: string;
  /**
   * For kinds whose Keras class depends on the input's rank (global pooling:
   * GlobalMaxPooling1D or 2D), the class for an input of that rank (batch
   * included). Naming runs before inference, on ranks only (see `outputRank`).
   */
  classForRank?: (inputRank: number) => string;
  /**
   * The rank of the output (batch included) from the inputs' ranks, for
   * naming before inference; absent means the first input's rank. Inference
   * is the authority on shapes: a test checks the two agree.
   */
  outputRank?: (inputRanks: readonly number[], args: Record<string, ArgValue>) => number;
  /** Number of tensor inputs: 1, or 'n' (two or more: the merges). */
  arity: 1 | 'n';
  /** One line for `--help` and the language reference. */
  doc: string;
  /** A one-line DSL example. */
  example: string;
  /** In order; optional ones (e.g. a trailing activation) last. */
  positional: readonly ParamSpec[];
  options: readonly ParamSpec[];
  infer(node: IRNode, inputs: InferInput[]): InferResult;
  targets: LayerTargets;
}
