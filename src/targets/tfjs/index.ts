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

/** A dropout-like layer's seed, when the run is seeded. */
export function seedOption(ctx: LowerContext): Record<string, TfConfigValue> {
  return ctx.seed === undefined ? {} : { seed: ctx.seed };
}
