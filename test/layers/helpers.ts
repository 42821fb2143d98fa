/**
 * Test helpers: IR nodes with every argument filled from the def's
 * ParamSpecs (as the lowering does), and the same layer built by tfjs-layers
 * to read its real output shape, class and weights.
 */
import * as tf from '@tensorflow/tfjs';
import type { Span } from '../../src/diagnostics/diagnostic.js';
import { widenDefault } from '../../src/ir/bind.js';
import { findLayer } from '../../src/layers/index.js';
import type { InferResult, LayerDef } from '../../src/layers/types.js';
import type { ArgValue, DType, IRNode, Shape } from '../../src/ir/types.js';

export const NODE_SPAN: Span = { line: 3, column: 1, endLine: 3, endColumn: 20 };

function defOf(kind: string): LayerDef {
  const def = findLayer(kind);
  if (!def) throw new Error(`no layer kind ${kind}`);
  return def;
}

/** Given values by Keras name (a single integer for a tuple is widened); the rest from the defaults. */
export function fillArgs(def: LayerDef, given: Record<string, ArgValue>): Record<string, ArgValue> {
  const args: Record<string, ArgValue> = {};
  for (const spec of [...def.positional, ...def.options]) {
    let v: ArgValue | undefined = given[spec.name] ?? widenDefault(spec);
    if (spec.name in given && spec.arg.type === 'tuple' && typeof v === 'number') v = Array(spec.arg.length).fill(v);
    if (spec.arg.type === 'layer' && v !== undefined) {
      const inner = v as { kind: string; args?: Record<string, ArgValue> };
      const innerDef = defOf(inner.kind);
      v = { kind: innerDef.kind, kerasClass: innerDef.kerasClass, name: innerDef.kind, args: fillArgs(innerDef, inner.args ?? {}) };
    }
    if (v !== undefined) args[spec.name] = v;
    else if (!spec.optional) throw new Error(`${def.kind} needs ${spec.name}`);
  }
  return args;
}

export function makeNode(kind: string, given: Record<string, ArgValue> = {}, argSpans?: Record<string, Span>): IRNode {
  const def = defOf(kind);
  return { id: 'n1', kind: def.kind, kerasClass: def.kerasClass, name: def.kind, args: fillArgs(def, given), inputs: ['input'], span: NODE_SPAN, argSpans };
}

/** Runs `kind`'s infer on an input of `shape` (without the batch dimension). */
export function inferLayer(kind: string, given: Record<string, ArgValue>, shape: Shape, dtype: DType = 'float32', argSpans?: Record<string, Span>): InferResult {
  const def = defOf(kind);
  const node = makeNode(kind, given, argSpans);
  // As naming does before inference: rank-dependent kinds take their class from the input's rank.
  if (def.classForRank) node.kerasClass = def.classForRank(shape.length + 1);
  return def.infer(node, [{ shape: [null, ...shape], dtype }]);
}

export interface TfjsFacts {
  className: string;
  outputShape: Shape;
  params: number;
  trainable: number;
  nonTrainable: number;
  /** [name without the layer's own prefix, shape, trainable] in tfjs's order. */
  weights: [string, number[], boolean][];
}

let backendReady: Promise<boolean> | undefined;

/** Builds `layer` (created with name 'L') in a tf.sequential after an input of `shape`. */
export async function tfjsFacts(layer: tf.layers.Layer, shape: Shape, dtype: DType = 'float32'): Promise<TfjsFacts> {
  backendReady ??= tf.setBackend('cpu');
  await backendReady;
  tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: shape, dtype }), layer] });
  const count = (ws: tf.LayerVariable[]) => ws.reduce((n, w) => n + (w.shape as number[]).reduce((p, d) => p * d, 1), 0);
  return {
    className: layer.getClassName(),
    outputShape: layer.outputShape as Shape,
    params: layer.countParams(),
    trainable: count(layer.trainableWeights),
    nonTrainable: count(layer.nonTrainableWeights),
    // tfjs makes variable names unique across the process (kernel_1, ...): drop that suffix.
    weights: layer.weights.map((w) => [w.name.replace(/^L\//, '').replace(/_\d+$/, ''), w.shape as number[], w.trainable]),
  };
}
