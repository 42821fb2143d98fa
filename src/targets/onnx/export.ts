/**
 * IR + trained weights -> an ONNX model (opset 17). Generic over the IR's
 * DAG: every node is lowered by its kind's lowering from the values of its
 * inputs, so graph models (several inputs, merges, several outputs) take no
 * other path than chains. Inputs stay channels-last, as mlc's models take them.
 */
import { DiagnosticError, error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { DType, IR, IRNode, ModelFacts, Shape } from '../../ir/types.js';
import { findLayer, LAYER_DEFS } from '../../layers/index.js';
import type { SavedWeight } from '../../runtime/saved-weights.js';
import { OnnxGraph, type OnnxDim, type ValueInfo } from './graph.js';
import { encodeModel } from './proto.js';
import type { OnnxLowering, OnnxTensor } from './types.js';

export const ONNX_OPSET = 17;
/** The IR version that goes with opset 17. */
const ONNX_IR_VERSION = 8;

export interface OnnxExportOptions {
  /** mlc's version, recorded as the producer's. */
  producerVersion?: string;
  /** Lowerings for kinds the registry (src/layers) does not have, or to use instead of its own. */
  lowerings?: Readonly<Record<string, OnnxLowering>>;
}

/** Names for the unknown dimensions of a value: the batch, then `NAME_dimI`. */
function onnxDims(name: string, shape: Shape): OnnxDim[] {
  return shape.map((d, i) => (d !== null ? d : i === 0 ? 'batch' : `${name}_dim${i}`));
}

/** A node's output dtype as inference gives it (facts keep shapes only): int32 ids stay int32 through reshape, merges, padding. */
function outputDtype(node: IRNode, inputs: readonly OnnxTensor[]): DType {
  const result = findLayer(node.kind)?.infer(node, inputs.map((t) => ({ shape: t.shape, dtype: t.dtype })));
  return result?.ok ? result.outputDtype ?? 'float32' : 'float32';
}

/**
 * The ONNX model of `ir` with `weights` (saved names: `dense/kernel`, ...),
 * encoded as protobuf; throws a DiagnosticError with every layer that
 * cannot be exported.
 */
export function exportOnnx(ir: IR, facts: ModelFacts, weights: ReadonlyMap<string, SavedWeight>, opts: OnnxExportOptions = {}): Uint8Array {
  const lowerings = opts.lowerings ?? {};
  const g = new OnnxGraph(ir.name);
  const values = new Map<string, OnnxTensor>();
  const inputs: ValueInfo[] = ir.inputs.map((input) => {
    g.reserve(input.name);
    const shape = facts.inputShapes[input.id] ?? [null, ...input.shape];
    values.set(input.id, { name: input.name, shape, dtype: input.dtype });
    return { name: input.name, dtype: input.dtype, dims: onnxDims(input.name, shape) };
  });
  const factsById = new Map(ir.nodes.map((n, i) => [n.id, facts.nodes[i]]));
  const diagnostics: Diagnostic[] = [];
  for (const node of ir.nodes) {
    const lower = lowerings[node.kind] ?? findLayer(node.kind)?.targets.onnx;
    if (!lower) {
      diagnostics.push(error('E-ONNX-UNSUPPORTED', `layer kind \`${node.kind}\` (layer \`${node.name}\`) has no ONNX export`, node.span,
        `the ONNX export knows: ${[...LAYER_DEFS.map((d) => d.kind), ...Object.keys(lowerings)].join(', ')}`));
      continue;
    }
    const nodeInputs = node.inputs.map((id) => values.get(id));
    // An input that failed to lower already has its diagnostic.
    if (nodeInputs.some((t) => t === undefined)) continue;
    const fact = factsById.get(node.id);
    if (!fact) throw new Error(`no inferred facts for IR node ${node.id}`);
    const weight = (name: string) => {
      const w = weights.get(`${node.name}/${name}`);
      if (!w) {
        throw new DiagnosticError(error('E-ONNX-WEIGHTS', `the saved weights have no \`${node.name}/${name}\` for layer \`${node.name}\``, node.span,
          'model.json and ir.json of the folder do not match; save the model again with `mlc train SPEC -o DIR`'));
      }
      if (w.dtype !== 'float32') throw new DiagnosticError(error('E-ONNX-WEIGHTS', `weight \`${node.name}/${name}\` is ${w.dtype}, not float32`, node.span));
      return w as SavedWeight & { data: Float32Array };
    };
    g.scope = node.name;
    try {
      const out = lower(node, { g, inputs: nodeInputs as OnnxTensor[], weight, hasWeight: (n) => weights.has(`${node.name}/${n}`) });
      values.set(node.id, { name: out, shape: fact.outputShape, dtype: outputDtype(node, nodeInputs as OnnxTensor[]) });
    } catch (e) {
      if (e instanceof DiagnosticError) diagnostics.push(...e.diagnostics);
      else throw e;
    } finally {
      g.scope = '';
    }
  }
  if (diagnostics.length > 0) throw new DiagnosticError(diagnostics);
  const outputs: ValueInfo[] = ir.outputs.map((id) => {
    const t = values.get(id)!;
    const node = ir.nodes.find((n) => n.id === id);
    const name = node ? g.rename(t.name, node.name) : t.name;
    return { name, dtype: t.dtype, dims: onnxDims(name, t.shape) };
  });
  return encodeModel({
    ir_version: ONNX_IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    producer_name: 'mlc',
    producer_version: opts.producerVersion ?? '',
    graph: g.finish(inputs, outputs),
  });
}
