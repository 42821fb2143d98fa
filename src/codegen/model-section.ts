/**
 * buildModel(): the IR's DAG as a tfjs functional model, one statement per
 * layer, each under the spec line it came from. The runtime builds the same
 * functional model (src/runtime/model.ts), with the same per-layer seeds.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { IR } from '../ir/types.js';
import { DiagnosticError } from '../diagnostics/diagnostic.js';
import { lowerNode } from '../targets/tfjs/lower.js';
import { layerSeed, normalizeAnyRank } from '../runtime/model.js';
import { inferModel } from '../ir/infer.js';
import { findLayer } from '../layers/index.js';
import { uniqueIdentifiers } from './identifiers.js';
import { CUSTOM_LAYERS_VARIABLE, printLayerCall, printValue } from './literal.js';
import type { SourceComments } from './source-comments.js';

export interface Section {
  code: string;
  diagnostics: Diagnostic[];
}

export interface ModelSection extends Section {
  /** Some layer is one of mlc's own (src/runtime/custom-layers), so the module needs ./mlc-layers/. */
  usesCustomLayers: boolean;
  /** The functions of ./mlc-layers/ buildModel() calls besides customLayers (the penalties tfjs leaves out). */
  layerHelpers: string[];
}

/**
 * Whether a recurrent layer (or bidirectional's inner one) has a weight
 * penalty, which tfjs keeps on its cell: the kinds with a recurrent kernel
 * are those whose definition takes `recurrent_regularizer`.
 */
function hasCellPenalty(node: IR['nodes'][number]): boolean {
  const inner = node.args.layer as { kind?: string; args?: Record<string, unknown> } | undefined;
  const [kind, args] = inner?.kind !== undefined && inner.args !== undefined ? [inner.kind, inner.args] : [node.kind, node.args as Record<string, unknown>];
  if (!findLayer(kind)?.options.some((o) => o.name === 'recurrent_regularizer')) return false;
  return ['kernel_regularizer', 'recurrent_regularizer', 'bias_regularizer'].some((k) => args[k] !== undefined && args[k] !== null);
}

function listOrOne(ids: string[]): string {
  return ids.length === 1 ? ids[0] : `[${ids.join(', ')}]`;
}

export function modelSection(ir: IR, comments: SourceComments): ModelSection {
  const diagnostics: Diagnostic[] = [];
  const seed = ir.fit?.seed;
  const ids = uniqueIdentifiers([...ir.inputs.map((i) => i.name), ...ir.nodes.map((n) => n.name)], ['tf']);
  const variable = new Map<string, string>();
  [...ir.inputs.map((i) => i.id), ...ir.nodes.map((n) => n.id)].forEach((id, k) => variable.set(id, ids[k]));
  const ref = (id: string) => variable.get(id) ?? id;

  const { facts } = inferModel(ir);
  const shapes = new Map<string, readonly (number | null)[]>([...Object.entries(facts.inputShapes), ...facts.nodes.map((n) => [n.id, n.outputShape] as const)]);
  const shapeOf = (id: string | undefined) => (id === undefined ? [] : shapes.get(id) ?? []);
  const body: string[] = [];
  let usesCustomLayers = false;
  const layerHelpers = new Set<string>();
  for (const input of ir.inputs) {
    const config = printValue({ shape: input.shape, dtype: input.dtype, name: input.name });
    body.push(`${comments.above(input.span)}const ${ref(input.id)} = tf.input(${config});`);
  }
  ir.nodes.forEach((node, index) => {
    // The runtime's own lowering, printed: the emitted layer has exactly the config `mlc train` uses.
    let layer: string;
    try {
      // As the runtime does: a normalisation of rank 5 or more runs on mlc's own layer.
      const spec = normalizeAnyRank(lowerNode(node, { seed: layerSeed(seed, index) }), shapeOf(node.inputs[0]));
      usesCustomLayers ||= spec.custom === true;
      layer = printLayerCall(spec);
    } catch (e) {
      if (!(e instanceof DiagnosticError)) throw e;
      diagnostics.push(...e.diagnostics);
      return;
    }
    const inputs = listOrOne(node.inputs.map(ref));
    const activity = node.args.activity_regularizer as { l1: number; l2: number } | undefined;
    if (node.kind === 'flatten') {
      // Flatten on an already flat input keeps it as it is, as in Keras (tfjs's Flatten refuses fewer than 3 dimensions);
      // with an activity penalty, an identity layer holds it.
      const keep = activity ? `tf.layers.activation(${printValue({ activation: 'linear', name: node.name })}).apply(${inputs}) as tf.SymbolicTensor` : inputs;
      body.push(`${comments.above(node.span)}const ${ref(node.id)} = ${inputs}.shape.length <= 2 ? ${keep} : ${layer}.apply(${inputs}) as tf.SymbolicTensor;`);
    } else {
      body.push(`${comments.above(node.span)}const ${ref(node.id)} = ${layer}.apply(${inputs}) as tf.SymbolicTensor;`);
    }
    // tfjs's Bidirectional ignores `trainable` in its config; the setter freezes every kind.
    if (node.args.trainable === false) body.push(`${ref(node.id)}.sourceLayer.trainable = false;`);
    if (hasCellPenalty(node)) {
      body.push(`adoptCellPenalties(${ref(node.id)}.sourceLayer); // tfjs leaves a recurrent cell's weight penalties out of the loss`);
      layerHelpers.add('adoptCellPenalties');
    }
    if (activity) {
      body.push(`penalizeActivity(tf, ${ref(node.id)}.sourceLayer, ${activity.l1}, ${activity.l2}); // activity_regularizer, which tfjs-layers refuses`);
      layerHelpers.add('penalizeActivity');
    }
  });
  const inputs = listOrOne(ir.inputs.map((i) => ref(i.id)));
  const outputs = listOrOne(ir.outputs.map(ref));
  body.push(`return tf.model({ inputs: ${inputs}, outputs: ${outputs}, name: ${printValue(ir.name)} });`);
  const code = [
    '/** The spec\'s model, layer by layer, with its names and arguments (not yet compiled or trained). */',
    'export function buildModel(): tf.LayersModel {',
    ...(usesCustomLayers ? [`const ${CUSTOM_LAYERS_VARIABLE} = customLayers(tf);`] : []),
    ...body,
    '}',
  ].join('\n');
  return { code, diagnostics, usesCustomLayers, layerHelpers: [...layerHelpers] };
}
