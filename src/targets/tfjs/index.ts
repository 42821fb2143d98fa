/**
 * The TensorFlow.js target: how an IR node is said in tfjs-layers terms, as
 * plain data. `{factory: 'conv2d', config: {filters: 32, ...}}` means
 * `tf.layers.conv2d({filters: 32, ...})`. Each layer kind's definition
 * (src/layers/KIND.ts) holds its own lowering; this module holds what those
 * lowerings share. The runtime builds layers from these specs and the
 * TypeScript emitter prints the same specs, so the two cannot drift apart.
 * Nothing here imports TensorFlow.js.
 *
 * The IR reaching a lowering has been validated against the IR schema, which
 * requires every argument with its default filled in; the readers below
 * therefore take no fallbacks (defaults live only in the definitions).
 */
import { error, DiagnosticError } from '../../diagnostics/diagnostic.js';
import type { Activation } from '../../layers/activations.js';
import type { ArgValue, IRNode } from '../../ir/types.js';
import type { InitializerName } from '../../layers/params.js';

/** A config value: JSON data, or a nested layer (bidirectional's wrapped recurrent layer). */
export type TfConfigValue = number | string | boolean | null | TfConfigValue[] | TfLayerSpec | { [key: string]: TfConfigValue };

export interface TfLayerSpec {
  /** The name of the factory function under `tf.layers`, e.g. "conv2d", "maxPooling2d", or of one of mlc's own layers. */
  factory: string;
  /** The factory's argument, camelCase tfjs names, e.g. {filters, kernelSize, strides, ...}. */
  config: { [key: string]: TfConfigValue };
  /**
   * Built by one of mlc's own tfjs layers (src/runtime/custom-layers), for a
   * Keras class tfjs-layers lacks, instead of by `tf.layers[factory]`.
   */
  custom?: boolean;
}

/** What a lowering needs besides the node. */
export interface LowerContext {
  /** Seed for this layer's initializers and dropout; absent means unseeded (random). */
  seed?: number;
}

/** The part of an IR node a lowering reads; a wrapped layer (bidirectional's) has no id or inputs. */
export type LowerableNode = Pick<IRNode, 'kind' | 'kerasClass' | 'name' | 'args'> & Partial<Pick<IRNode, 'span' | 'argSpans' | 'id'>>;

export type TfjsLowering = (node: LowerableNode, ctx: LowerContext) => TfLayerSpec;

/** Keras activation name -> tfjs-layers activation identifier: every activation of the language runs on tfjs. */
const TFJS_ACTIVATIONS = {
  linear: 'linear', relu: 'relu', relu6: 'relu6', elu: 'elu', selu: 'selu', sigmoid: 'sigmoid',
  hard_sigmoid: 'hardSigmoid', tanh: 'tanh', softmax: 'softmax', softplus: 'softplus',
  softsign: 'softsign', swish: 'swish', gelu: 'gelu',
} satisfies Record<Activation, string>;

/** A node that reached a lowering without an argument the schema requires: only a bug in mlc gets here. */
function missing(node: LowerableNode, key: string): never {
  throw new DiagnosticError(
    error('E-INTERNAL', `internal error: layer \`${node.name}\` (${node.kind}) has no valid \`${key}\` argument in its IR`, node.span,
      'please report this with the spec that caused it'),
  );
}

export function arg(node: LowerableNode, key: string): ArgValue {
  const v = node.args[key];
  return v === undefined ? missing(node, key) : v;
}

export function num(node: LowerableNode, key: string): number {
  const v = arg(node, key);
  return typeof v === 'number' ? v : missing(node, key);
}

export function str(node: LowerableNode, key: string): string {
  const v = arg(node, key);
  return typeof v === 'string' ? v : missing(node, key);
}

export function bool(node: LowerableNode, key: string): boolean {
  const v = arg(node, key);
  return typeof v === 'boolean' ? v : missing(node, key);
}

/** An n-tuple arg as the IR stores it. */
export function tuple(node: LowerableNode, key: string): number[] {
  const v = arg(node, key);
  return Array.isArray(v) && v.every((d) => typeof d === 'number') ? (v as number[]) : missing(node, key);
}

export function tfActivation(node: LowerableNode, key = 'activation'): string {
  const keras = str(node, key);
  return (TFJS_ACTIVATIONS as Record<string, string>)[keras] ?? missing(node, key);
}

/** A seeded initializer as tfjs serializes it; tfjs's `getInitializer` accepts this form directly. */
export function seededInitializer(className: string, seed: number, extra: Record<string, TfConfigValue> = {}): TfConfigValue {
  return { className, config: { ...extra, seed } };
}

/**
 * The initializers of a layer with a kernel, seeded when the run is seeded.
 * Unseeded, nothing is added and tfjs's defaults (the same as Keras's) apply.
 */
export function kernelInitializers(ctx: LowerContext, recurrent = false): Record<string, TfConfigValue> {
  if (ctx.seed === undefined) return {};
  const out: Record<string, TfConfigValue> = { kernelInitializer: seededInitializer('GlorotUniform', ctx.seed) };
  if (recurrent) out.recurrentInitializer = seededInitializer('Orthogonal', ctx.seed + 1, { gain: 1 });
  return out;
}

/**
 * Keras 3 draws its `*_normal` variance-scaling initializers from a normal
 * truncated at two standard deviations, with the deviation divided by this
 * constant (the deviation of a unit normal so truncated) so that the drawn
 * values have the intended variance; tfjs-layers truncates without the
 * correction, so its scale is divided by the constant squared.
 */
const TRUNCATION_STDDEV = 0.87962566103423978;

/** A Keras initializer (src/layers/params.ts INITIALIZERS) as tfjs serializes the one that draws the same. */
export function kerasInitializer(name: InitializerName, seed: number | undefined): TfConfigValue {
  const seeded = (config: Record<string, TfConfigValue>): Record<string, TfConfigValue> => (seed === undefined ? config : { ...config, seed });
  const scaling = (scale: number, mode: 'fanIn' | 'fanAvg', distribution: 'normal' | 'uniform') => ({
    className: 'VarianceScaling',
    config: seeded({ scale: distribution === 'normal' ? scale / TRUNCATION_STDDEV ** 2 : scale, mode, distribution }),
  });
  switch (name) {
    case 'glorot_uniform': return scaling(1, 'fanAvg', 'uniform');
    case 'glorot_normal': return scaling(1, 'fanAvg', 'normal');
    case 'he_uniform': return scaling(2, 'fanIn', 'uniform');
    case 'he_normal': return scaling(2, 'fanIn', 'normal');
    case 'lecun_uniform': return scaling(1, 'fanIn', 'uniform');
    case 'lecun_normal': return scaling(1, 'fanIn', 'normal');
    case 'orthogonal': return { className: 'Orthogonal', config: seeded({ gain: 1 }) };
    case 'random_normal': return { className: 'RandomNormal', config: seeded({ mean: 0, stddev: 0.05 }) };
    case 'random_uniform': return { className: 'RandomUniform', config: seeded({ minval: -0.05, maxval: 0.05 }) };
    case 'truncated_normal': return { className: 'TruncatedNormal', config: seeded({ mean: 0, stddev: 0.05 }) };
    case 'zeros': return { className: 'Zeros', config: {} };
    case 'ones': return { className: 'Ones', config: {} };
  }
}

/** A regularizer as the IR holds it ({l1, l2}), as tfjs serializes it (printed `tf.regularizers.l1l2(...)`). */
function tfRegularizer(v: ArgValue | undefined): TfConfigValue | undefined {
  if (v === undefined || v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  return { className: 'L1L2', config: { l1: Number(v.l1), l2: Number(v.l2) } };
}

/** The prefixes of Keras's weight options (`kernel_initializer`, `depthwise_regularizer`, ...), the same in tfjs (`kernelInitializer`, ...). */
export type WeightPrefix = 'kernel' | 'bias' | 'recurrent' | 'embeddings' | 'depthwise' | 'pointwise';

/**
 * A layer's weight options (src/layers/params.ts: kernel_initializer, ...,
 * kernel_regularizer, ...) in tfjs terms, for the Keras weight prefixes
 * `weights`. An initializer the spec leaves out keeps tfjs's default
 * (Keras's), seeded when the run is; `kernelInitializers` says which those
 * are for a kernel (a kind without one seeds its own defaults).
 */
export function weightOptions(node: LowerableNode, ctx: LowerContext, weights: readonly WeightPrefix[] = ['kernel', 'bias']): Record<string, TfConfigValue> {
  const out: Record<string, TfConfigValue> = weights.includes('kernel') ? kernelInitializers(ctx, weights.includes('recurrent')) : {};
  weights.forEach((w, i) => {
    const chosen = node.args[`${w}_initializer`];
    if (typeof chosen === 'string') out[`${w}Initializer`] = kerasInitializer(chosen as InitializerName, ctx.seed === undefined ? undefined : ctx.seed + 2 + i);
    const regularizer = tfRegularizer(node.args[`${w}_regularizer`]);
    if (regularizer) out[`${w}Regularizer`] = regularizer;
  });
  return out;
}

/** A dropout-like layer's seed, when the run is seeded. */
export function seedOption(ctx: LowerContext): Record<string, TfConfigValue> {
  return ctx.seed === undefined ? {} : { seed: ctx.seed };
}
