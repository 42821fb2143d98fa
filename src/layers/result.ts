/**
 * Building inference results: the success record (parameter counts derived
 * from the weight list, so they can never disagree) and the diagnostics every
 * kind reports, each pointing at the node or at the argument at fault.
 */
import { error, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { DType, IRNode, Shape } from '../ir/types.js';
import { formatShape } from './shape.js';
import type { InferInput, InferResult } from './types.js';

export type InferSuccess = Extract<InferResult, { ok: true }>;
export type InferFailure = Extract<InferResult, { ok: false }>;
export type Weight = InferSuccess['weights'][number];

/** Where the argument `arg` was written, else the whole layer. */
export function spanOf(node: IRNode, arg?: string): Span | undefined {
  return (arg !== undefined ? node.argSpans?.[arg] : undefined) ?? node.span;
}

/** A failed inference with one diagnostic. */
export function fail(d: Diagnostic): InferFailure {
  return { ok: false, diagnostics: [d] };
}

/** An input or output shape that does not fit the layer ("E-SHAPE"). */
export function shapeError(node: IRNode, message: string, help?: string, arg?: string): InferFailure {
  return fail(error('E-SHAPE', message, spanOf(node, arg), help));
}

/** A combination of arguments the layer cannot run with ("E-ARG"). */
export function argError(node: IRNode, message: string, help: string | undefined, arg: string): InferFailure {
  return fail(error('E-ARG', message, spanOf(node, arg), help));
}

export function weight(name: string, shape: number[], trainable = true): Weight {
  return { name, shape, trainable };
}

export interface SuccessExtras {
  outputDtype?: DType;
  warnings?: Diagnostic[];
}

/** A successful inference; trainable and non-trainable counts are summed from `weights`. */
export function success(outputShape: Shape, weights: Weight[], macs: number, extras: SuccessExtras = {}): InferSuccess {
  let trainableParams = 0;
  let nonTrainableParams = 0;
  for (const w of weights) {
    const n = w.shape.reduce((p, d) => p * d, 1);
    if (w.trainable) trainableParams += n;
    else nonTrainableParams += n;
  }
  const result: InferSuccess = { ok: true, outputShape, trainableParams, nonTrainableParams, macs, weights };
  if (extras.outputDtype !== undefined) result.outputDtype = extras.outputDtype;
  if (extras.warnings !== undefined && extras.warnings.length > 0) result.warnings = extras.warnings;
  return result;
}

/** A layer that leaves its input as it is (dropout, activation, ...): no weights, no MACs. */
export function passThrough(input: InferInput): InferSuccess {
  return success([...input.shape], [], 0, { outputDtype: input.dtype });
}

/**
 * "conv2d expects a 4-D input (batch, height, width, channels); got (None, 784)",
 * or undefined when the rank is right. `layout` names the axes; `help` is the fix.
 */
export function checkRank(node: IRNode, input: InferInput, rank: number, layout: string, help: string): InferFailure | undefined {
  if (input.shape.length === rank) return undefined;
  return shapeError(node, `${node.kind} expects a ${rank}-D input ${layout}; got ${formatShape(input.shape)}`, help);
}

/** The channel (last) axis must be known to size the weights. */
export function checkLastKnown(node: IRNode, input: InferInput, what: string): InferFailure | undefined {
  if (input.shape[input.shape.length - 1] !== null) return undefined;
  return shapeError(
    node,
    `${node.kind} needs a known ${what} (last) dimension to size its weights; got ${formatShape(input.shape)}`,
    'only the batch and sequence-length dimensions may be `?`; give the last dimension a fixed size',
  );
}
