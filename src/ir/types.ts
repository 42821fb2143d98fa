/**
 * The IR: the contract between the front end (parser + lowering) and every
 * consumer (summary, runtime, codegen). Plain JSON, versioned, a DAG from day
 * one: every node lists its inputs by id, so a sequential spec is a chain.
 * Its JSON Schema is src/ir/schema.ts; every IR mlc produces or reads is
 * validated against it.
 */
import type { Span } from '../diagnostics/diagnostic.js';

/** The version mlc writes. Version 1 (v1 specs: one input, no call paths) still loads: it is a subset. */
export const IR_VERSION = 2;
export const IR_VERSIONS = [1, 2] as const;
export type IRVersion = (typeof IR_VERSIONS)[number];

/** A dimension; null is unknown until run time (`?` in the DSL, the batch in Keras). */
export type Dim = number | null;
export type Shape = Dim[];

export type ArgValue = number | string | boolean | null | ArgValue[] | { [key: string]: ArgValue };

export type DType = 'float32' | 'int32';

export interface IRInput {
  id: string;
  name: string;
  /** Without the batch dimension, as Keras's `Input(shape=...)`. */
  shape: Shape;
  dtype: DType;
  span?: Span;
}

export interface IRNode {
  /** Unique within the model; referenced by `inputs` and `outputs`. */
  id: string;
  /** Canonical DSL kind, e.g. "conv2d" (aliases such as "conv" are resolved). */
  kind: string;
  /** The Keras class, e.g. "Conv2D"; for rank-dependent kinds (global pooling) resolved by inference. */
  kerasClass: string;
  /** The Keras layer name: user-given (`name=`) or Keras's default (`dense`, `dense_1`, ...). */
  name: string;
  /**
   * Keras argument names with every default filled in, e.g. for `conv 32 5x5 relu`:
   * {filters: 32, kernel_size: [5, 5], strides: [1, 1], padding: "valid",
   *  dilation_rate: [1, 1], activation: "relu", use_bias: true}.
   * A wrapper (bidirectional) holds its inner layer as {kind, kerasClass, name, args} under `layer`.
   */
  args: Record<string, ArgValue>;
  /** Ids of the inputs (IRInput.id or IRNode.id) this node consumes. */
  inputs: string[];
  span?: Span;
  /** Where each argument was written, to map schema and inference errors back to the text. */
  argSpans?: Record<string, Span>;
  /**
   * The block calls this node came from, outermost first (absent at top
   * level): for errors that point at the call and summaries that group by it.
   */
  callPath?: IRCall[];
}

/** One block call: the block, the call's name (the prefix of its layers' names) and where it was called. */
export interface IRCall {
  block: string;
  name: string;
  span?: Span;
}

export interface IROptimizer {
  name: string;
  /**
   * Keras argument names (`lr` is stored as `learning_rate`), defaults filled in.
   * `learning_rate` is a number or a schedule, an IRTrainingCall such as
   * {name: "exponential_decay", args: {initial_learning_rate: 0.001, decay_steps: 1000, decay_rate: 0.9, staircase: false}}.
   */
  args: Record<string, ArgValue>;
}

/** A learning-rate schedule or a callback (src/ir/training.ts SCHEDULES, CALLBACKS), defaults filled in. */
export interface IRTrainingCall {
  name: string;
  args: Record<string, ArgValue>;
}

/** A value for every output, or one per output keyed by its name (IR.outputNames). */
export type PerOutput<T> = T | Record<string, T>;

export interface IRCompile {
  /** One loss for every output, or one per output name. */
  loss: PerOutput<string>;
  /**
   * The arguments a loss was called with, `categorical_crossentropy(from_logits=true)`:
   * for the single loss, or (when `loss` is a map) keyed by output name. Absent when none were given.
   */
  lossArgs?: Record<string, ArgValue>;
  /** How much each output's loss counts in the total (Keras's loss_weights); absent means 1 each. */
  loss_weights?: Record<string, number>;
  optimizer: IROptimizer;
  /** The metrics of every output, or of each output by name. */
  metrics: PerOutput<string[]>;
  span?: Span;
  argSpans?: Record<string, Span>;
}

export interface IRFit {
  epochs: number;
  batch_size: number;
  validation_split: number;
  shuffle: boolean;
  seed?: number;
  /** Keras callbacks, in the order written. */
  callbacks?: IRTrainingCall[];
  /** `balanced`, or a weight per class index ({"0": 1, "1": 5}). */
  class_weight?: 'balanced' | Record<string, number>;
  span?: Span;
  argSpans?: Record<string, Span>;
}

export interface IR {
  irVersion: IRVersion;
  name: string;
  inputs: IRInput[];
  /** In topological order. */
  nodes: IRNode[];
  /** Ids of the model's outputs (the last node for a sequential spec). */
  outputs: string[];
  /**
   * The name of each output, in the order of `outputs`: the spec's tensor
   * name (`output cls box`). Data fields, per-output losses and metrics, and
   * reported scores (`cls_loss`) use it. Absent: each output's layer name.
   */
  outputNames?: string[];
  compile?: IRCompile;
  fit?: IRFit;
}

/** What inference knows about one node. Shapes include the batch dimension (null) first, as Keras prints them. */
export interface NodeFacts {
  id: string;
  name: string;
  kerasClass: string;
  outputShape: Shape;
  trainableParams: number;
  nonTrainableParams: number;
  /** Multiply-accumulates for one sample's forward pass. */
  macs: number;
  /** The layer's weight tensors in Keras's order (kernel, bias, ...). */
  weights: { name: string; shape: number[]; trainable: boolean }[];
}

export interface ModelFacts {
  /** Input id -> shape with the batch dimension. */
  inputShapes: Record<string, Shape>;
  /** One entry per node whose shape is known, in IR order. */
  nodes: NodeFacts[];
  /**
   * Ids of the nodes whose output is unknown: the node where an error was
   * found and every node fed by it. Empty for a valid model. The totals
   * count the known nodes only.
   */
  unknown: string[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  totalMacs: number;
  /** float32 parameter memory in bytes. */
  paramBytes: number;
  /** float32 activation memory of one sample's forward pass (sum of every output), in bytes. */
  activationBytes: number;
}
