/** Helpers shared by the lowerings: reading Keras args, activation names, seeded initializers. */
import { error } from '../../diagnostics/diagnostic.js';
import type { ArgValue } from '../../ir/types.js';
import { LoweringError, type LowerContext, type LowerableNode, type TfConfigValue } from './types.js';

/** Keras activation name -> tfjs-layers activation identifier. Every activation of the language runs on tfjs. */
const TFJS_ACTIVATIONS: Record<string, string> = {
  linear: 'linear', relu: 'relu', relu6: 'relu6', elu: 'elu', selu: 'selu', sigmoid: 'sigmoid',
  hard_sigmoid: 'hardSigmoid', tanh: 'tanh', softmax: 'softmax', softplus: 'softplus',
  softsign: 'softsign', swish: 'swish', gelu: 'gelu', mish: 'mish',
};

export function tfActivation(node: LowerableNode, key = 'activation', fallback = 'linear'): string {
  const v = node.args[key];
  const keras = v === undefined || v === null ? fallback : String(v);
  const tf = TFJS_ACTIVATIONS[keras];
  if (tf === undefined) {
    throw new LoweringError(
      error('E-RUNTIME-ACTIVATION', `activation \`${keras}\` of layer \`${node.name}\` has no TensorFlow.js equivalent`,
        node.argSpans?.[key] ?? node.span,
        `use one of: ${Object.keys(TFJS_ACTIVATIONS).join(', ')}`),
    );
  }
  return tf;
}

function missing(node: LowerableNode, key: string): never {
  throw new LoweringError(
    error('E-RUNTIME-ARG', `layer \`${node.name}\` (${node.kind}) has no \`${key}\` argument in its IR`, node.span,
      'regenerate the IR with `mlc ir`; a hand-written IR must give every required argument'),
  );
}

export function arg(node: LowerableNode, key: string, fallback?: ArgValue): ArgValue {
  const v = node.args[key];
  if (v !== undefined) return v;
  if (fallback !== undefined) return fallback;
  return missing(node, key);
}

export function num(node: LowerableNode, key: string, fallback?: number): number {
  const v = arg(node, key, fallback);
  if (typeof v !== 'number') return missing(node, key);
  return v;
}

export function str(node: LowerableNode, key: string, fallback?: string): string {
  return String(arg(node, key, fallback));
}

export function bool(node: LowerableNode, key: string, fallback?: boolean): boolean {
  return Boolean(arg(node, key, fallback));
}

/** An n-tuple arg; a single number `5` widens to [5, 5, ...] as in Keras. */
export function tuple(node: LowerableNode, key: string, n: number, fallback?: number[]): number[] {
  const v = arg(node, key, fallback);
  if (typeof v === 'number') return Array<number>(n).fill(v);
  if (Array.isArray(v) && v.every((d) => typeof d === 'number')) return v as number[];
  return missing(node, key);
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

/** Keras `padding` value, checked against what tfjs supports. */
export function padding(node: LowerableNode): 'valid' | 'same' | 'causal' {
  const p = str(node, 'padding', 'valid');
  if (p === 'valid' || p === 'same' || p === 'causal') return p;
  throw new LoweringError(error('E-RUNTIME-ARG', `padding \`${p}\` of layer \`${node.name}\` is not valid or same`,
    node.argSpans?.padding ?? node.span, 'use padding=valid or padding=same'));
}
