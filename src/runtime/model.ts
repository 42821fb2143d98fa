/**
 * IR -> tfjs-layers model. Every node is lowered to a factory spec (pure,
 * by its layer definition's tfjs target) and the specs are wired as a functional model over the IR's DAG,
 * so graphs need no other code path than chains.
 */
import { DiagnosticError, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { IR } from '../ir/types.js';
import { outputSpecs } from '../ir/outputs.js';
import { isCustomLoss, lowerCompile, type TfCompileSpec } from './compile-config.js';
import { lowerNode } from '../targets/tfjs/lower.js';
import type { TfConfigValue, TfLayerSpec } from '../targets/tfjs/index.js';
import { adoptCellPenalties, customLayers, customLosses, penalizeActivity } from './custom-layers/index.js';
import type { LayersModel, SymbolicTensor, TF } from './tf.js';

export interface LoweredLayer {
  nodeId: string;
  inputs: string[];
  spec: TfLayerSpec;
}

/**
 * A different, fixed seed for every layer, derived from the run's seed, so
 * two layers of the same shape do not start with identical weights.
 */
export function layerSeed(seed: number | undefined, index: number): number | undefined {
  return seed === undefined ? undefined : (Math.imul(seed + 1, 2654435761) + 7919 * (index + 1)) >>> 0;
}

/** Lowers every node of the IR, collecting all problems instead of stopping at the first. Pure. */
export function lowerModel(ir: IR, seed?: number): { layers: LoweredLayer[]; diagnostics: Diagnostic[] } {
  const layers: LoweredLayer[] = [];
  const diagnostics: Diagnostic[] = [];
  ir.nodes.forEach((node, i) => {
    try {
      layers.push({ nodeId: node.id, inputs: node.inputs, spec: lowerNode(node, { seed: layerSeed(seed, i) }) });
    } catch (e) {
      if (e instanceof DiagnosticError) diagnostics.push(...e.diagnostics);
      else throw e;
    }
  });
  return { layers, diagnostics };
}

function isLayerSpec(v: TfConfigValue): v is TfLayerSpec {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof v.factory === 'string' && typeof v.config === 'object';
}

/** Calls `tf.layers[spec.factory](config)` (or mlc's own layer), building nested layer specs (bidirectional's) first. */
export function createLayer(tf: TF, spec: TfLayerSpec): ReturnType<TF['layers']['dense']> {
  const factories = (spec.custom ? customLayers(tf) : tf.layers) as unknown as Record<string, (c: unknown) => ReturnType<TF['layers']['dense']>>;
  const factory = factories[spec.factory];
  if (typeof factory !== 'function') throw new Error(`tf.layers has no factory \`${spec.factory}\``);
  const config: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec.config)) config[k] = isLayerSpec(v) ? createLayer(tf, v) : v;
  return factory(config);
}

/**
 * A reshape's -1 replaced by the size it stands for, when the input's size is
 * known: tfjs leaves it unknown (Keras computes it), and a later flatten
 * would then refuse the shape that check computed.
 */
function resolveReshape(spec: TfLayerSpec, inputShape: readonly (number | null)[]): TfLayerSpec {
  const target = spec.config.targetShape;
  if (spec.factory !== 'reshape' || !Array.isArray(target) || !target.includes(-1)) return spec;
  const dims = inputShape.slice(1);
  if (dims.some((d) => d === null)) return spec;
  const have = (dims as number[]).reduce((p, d) => p * d, 1);
  const fixed = (target as number[]).reduce((p, d) => (d === -1 ? p : p * d), 1);
  return { ...spec, config: { ...spec.config, targetShape: (target as number[]).map((d) => (d === -1 ? have / fixed : d)) } };
}

/** The normalisations tfjs-layers runs on ranks up to 4 only; mlc's own run any rank (custom-layers/any-rank-normalization.ts). */
const RANK_LIMITED = new Set(['batchNormalization', 'layerNormalization']);
const TFJS_NORMALIZED_RANKS = 4;

/** A batch or layer normalisation of a tensor of rank 5 or more (batch included) runs on mlc's own layer. */
export function normalizeAnyRank(spec: TfLayerSpec, inputShape: readonly (number | null)[]): TfLayerSpec {
  return RANK_LIMITED.has(spec.factory) && !spec.custom && inputShape.length > TFJS_NORMALIZED_RANKS ? { ...spec, custom: true } : spec;
}

export interface BuildOptions {
  /** Seeds every initializer (and dropout) for reproducible runs. */
  seed?: number;
}

/** Builds the (uncompiled) tfjs model of the IR; throws a DiagnosticError when a layer cannot run on tfjs. */
export function buildModel(tf: TF, ir: IR, opts: BuildOptions = {}): LayersModel {
  const { layers, diagnostics } = lowerModel(ir, opts.seed);
  if (diagnostics.length > 0) throw new DiagnosticError(diagnostics);
  const tensors = new Map<string, SymbolicTensor>();
  for (const input of ir.inputs) {
    tensors.set(input.id, tf.input({ shape: input.shape, dtype: input.dtype, name: input.name }));
  }
  for (const layer of layers) {
    const args = layer.inputs.map((id) => {
      const t = tensors.get(id);
      if (t === undefined) throw new Error(`IR node ${layer.nodeId} reads ${id}, which is not defined before it`);
      return t;
    });
    // Flatten on an already flat input keeps it as it is, as in Keras (tfjs's Flatten refuses fewer than 3 dimensions);
    // one with an activity penalty needs a layer to hold it, so it becomes an identity.
    if (layer.spec.factory === 'flatten' && args.length === 1 && args[0].shape.length <= 2) {
      if (ir.nodes.find((n) => n.id === layer.nodeId)?.args.activity_regularizer) {
        tensors.set(layer.nodeId, tf.layers.activation({ activation: 'linear', name: layer.spec.config.name as string }).apply(args[0]) as SymbolicTensor);
        continue;
      }
      tensors.set(layer.nodeId, args[0]);
      continue;
    }
    const out = createLayer(tf, normalizeAnyRank(resolveReshape(layer.spec, args[0].shape), args[0].shape)).apply(args.length === 1 ? args[0] : args) as SymbolicTensor;
    tensors.set(layer.nodeId, out);
  }
  const outputs = ir.outputs.map((id) => tensors.get(id)!);
  const model = tf.model({
    inputs: ir.inputs.map((i) => tensors.get(i.id)!),
    outputs: outputs.length === 1 ? outputs[0] : outputs,
    name: ir.name,
  });
  finishLayers(tf, model, ir);
  return model;
}

/** What the spec asks of its layers that tfjs-layers' configs cannot say, applied to a model built or loaded from the IR. */
export function finishLayers(tf: TF, model: LayersModel, ir: IR): void {
  const layers = new Map(model.layers.map((l) => [l.name, l]));
  for (const node of ir.nodes) {
    const layer = layers.get(node.name);
    if (!layer) continue; // a flatten that keeps its input as it is
    if (node.args.trainable === false) freeze(layer);
    adoptCellPenalties(layer);
    const activity = node.args.activity_regularizer as { l1: number; l2: number } | undefined;
    if (activity) penalizeActivity(tf, layer, activity.l1, activity.l2);
  }
}

/**
 * Freezes a layer the spec marks `trainable=false`, built or loaded. tfjs
 * keeps its variables trainable whatever the config says (a recurrent
 * layer's belong to its cell, which the layer's setter does not reach, and
 * Bidirectional ignores the config), and the training loop (./train.ts)
 * minimises over trainable variables: so each variable is frozen too.
 */
function freeze(layer: LayersModel['layers'][number]): void {
  const weights = layer.weights;
  layer.trainable = false;
  for (const w of weights) w.trainable = false;
}

/** Creates the tfjs optimizer of a lowered compile section. */
export function createOptimizer(tf: TF, spec: TfCompileSpec['optimizer']): ReturnType<TF['train']['sgd']> {
  const make = tf.train[spec.factory] as unknown as (...a: (number | boolean)[]) => ReturnType<TF['train']['sgd']>;
  return make.apply(tf.train, spec.args);
}

/**
 * Compiles the model with the spec's loss and optimizer. Metrics are computed
 * by the training loop (./metrics.ts), not by tfjs, so they are left out here:
 * that also keeps the saved training config loadable by tfjs.
 */
export function compileModel(tf: TF, model: LayersModel, ir: IR): TfCompileSpec {
  if (!ir.compile) throw new Error('the spec has no compile section');
  const spec = lowerCompile(ir.compile, outputSpecs(ir));
  // Loss weights are applied by mlc's training loop (./objective.ts): tfjs-layers' compile has none.
  const losses = customLosses(tf);
  const named = (l: string) => (isCustomLoss(l) ? losses[l] : l);
  model.compile({ loss: Array.isArray(spec.loss) ? spec.loss.map(named) : named(spec.loss), optimizer: createOptimizer(tf, spec.optimizer) } as Parameters<LayersModel['compile']>[0]);
  return spec;
}
