/**
 * The picture's content, before any geometry: one box per input, layer and
 * output, one edge per tensor a node reads (labelled with its shape), and the
 * block calls the layers came from as nested groups. A call can be collapsed
 * into one box standing for all its layers.
 *
 * Pure: IR + facts in, plain data out. It reads any IR DAG: several inputs
 * and outputs, and merges (a node with several `inputs`).
 */
import type { IR, IRNode, ModelFacts, NodeFacts, Shape } from '../ir/types.js';
import { describeArgs } from './describe.js';

/** One block call a node came from; an IR node's `callPath` lists them outermost first. */
export interface CallFrame {
  /** The block's name, e.g. `residual`. */
  block: string;
  /** The call's name, e.g. `stage_1_residual_2`. */
  name: string;
}

export type BoxRole = 'input' | 'layer' | 'block' | 'output';

export interface GraphBox {
  id: string;
  role: BoxRole;
  /** The layer kind (or `input`, `output`, a block's name); chooses the colour. */
  kind: string;
  /** First line: the kind and main arguments, `conv2d 32 5x5 relu`. */
  title: string;
  /** Further lines: the name, parameter count, layer count. */
  details: string[];
  /** The group (block call) drawn around it, if any. */
  group?: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** The tensor's shape without the batch dimension, `24×24×32`; `?` where inference did not get there. */
  label: string;
}

export interface GraphGroup {
  id: string;
  /** `residual_1 (residual)`. */
  label: string;
  parent?: string;
}

export interface ModelGraph {
  name: string;
  boxes: GraphBox[];
  edges: GraphEdge[];
  groups: GraphGroup[];
  /** How many layers are drawn inside collapsed calls (0 when nothing is collapsed). */
  collapsedLayers: number;
}

/** Above this many layers block calls are collapsed unless asked otherwise: ResNet50 stays readable. */
export const COLLAPSE_ABOVE_LAYERS = 60;

export interface GraphOptions {
  /** true: draw each outermost block call as one box; false: every layer; undefined: by size. */
  collapse?: boolean;
}

export function callPathOf(node: IRNode): readonly CallFrame[] {
  return (node as IRNode & { callPath?: CallFrame[] }).callPath ?? [];
}

/** A call's group id: the names of the calls down to it, so the same block called twice gives two groups. */
function groupId(path: readonly CallFrame[], depth: number): string {
  return 'call:' + path.slice(0, depth + 1).map((f) => f.name).join('/');
}

/** 24×24×32: a shape without its batch dimension, `?` for a dimension known only at run time. */
export function formatTensorShape(shape: Shape | undefined, hasBatch = true): string {
  if (!shape) return '?';
  const dims = hasBatch ? shape.slice(1) : shape;
  return dims.map((d) => (d === null ? '?' : String(d))).join('×') || 'scalar';
}

export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function paramsLine(params: number): string | undefined {
  return params > 0 ? `${formatCount(params)} params` : undefined;
}

export function buildModelGraph(ir: IR, facts: ModelFacts | undefined, options: GraphOptions = {}): ModelGraph {
  const factsById = new Map<string, NodeFacts>(facts?.nodes.map((n) => [n.id, n]));
  const paramsOf = (id: string) => {
    const f = factsById.get(id);
    return f ? f.trainableParams + f.nonTrainableParams : 0;
  };
  const hasCalls = ir.nodes.some((n) => callPathOf(n).length > 0);
  const collapse = hasCalls && (options.collapse ?? ir.nodes.length > COLLAPSE_ABOVE_LAYERS);

  const boxes: GraphBox[] = [];
  const groups = new Map<string, GraphGroup>();
  /** Which box stands for each IR input or node id (itself, or the collapsed call holding it). */
  const boxOf = new Map<string, string>();
  const shapeOf = new Map<string, string>();

  for (const input of ir.inputs) {
    const dtype = input.dtype === 'float32' ? '' : ` ${input.dtype}`;
    boxes.push({ id: input.id, role: 'input', kind: 'input', title: `input ${formatTensorShape(input.shape, false)}${dtype}`, details: [input.name] });
    boxOf.set(input.id, input.id);
    const withBatch = facts?.inputShapes[input.id];
    shapeOf.set(input.id, withBatch ? formatTensorShape(withBatch) : formatTensorShape(input.shape, false));
  }

  const collapsed = new Map<string, { box: GraphBox; layers: number; params: number }>();
  let collapsedLayers = 0;
  for (const node of ir.nodes) {
    const path = callPathOf(node);
    shapeOf.set(node.id, formatTensorShape(factsById.get(node.id)?.outputShape));
    if (collapse && path.length > 0) {
      const id = groupId(path, 0);
      let call = collapsed.get(id);
      if (!call) {
        call = { box: { id, role: 'block', kind: path[0]!.block, title: `${path[0]!.block}`, details: [] }, layers: 0, params: 0 };
        collapsed.set(id, call);
        boxes.push(call.box);
      }
      call.layers++;
      call.params += paramsOf(node.id);
      collapsedLayers++;
      boxOf.set(node.id, id);
      continue;
    }
    path.forEach((frame, depth) => {
      const id = groupId(path, depth);
      if (!groups.has(id)) {
        groups.set(id, { id, label: frame.name === frame.block ? frame.name : `${frame.name} (${frame.block})`, parent: depth > 0 ? groupId(path, depth - 1) : undefined });
      }
    });
    const args = describeArgs(node);
    boxes.push({
      id: node.id,
      role: 'layer',
      kind: node.kind,
      title: args ? `${node.kind} ${args}` : node.kind,
      details: [[node.name, paramsLine(paramsOf(node.id))].filter(Boolean).join(' · ')].filter((d) => d !== node.kind),
      group: path.length > 0 ? groupId(path, path.length - 1) : undefined,
    });
    boxOf.set(node.id, node.id);
  }
  for (const [id, call] of collapsed) {
    const name = id.slice('call:'.length);
    call.box.details = [name === call.box.title ? undefined : name, [`${call.layers} ${call.layers === 1 ? 'layer' : 'layers'}`, paramsLine(call.params)].filter(Boolean).join(' · ')].filter((d) => d !== undefined);
  }

  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  const addEdge = (source: string, to: string) => {
    const from = boxOf.get(source);
    if (from === undefined || from === to) return;
    const key = `${from}\u0000${to}`;
    if (seen.has(key)) return;
    seen.add(key);
    edges.push({ from, to, label: shapeOf.get(source) ?? '?' });
  };
  for (const node of ir.nodes) for (const source of node.inputs) addEdge(source, boxOf.get(node.id)!);

  ir.outputs.forEach((source, i) => {
    const id = `output:${i}`;
    const name = ir.nodes.find((n) => n.id === source)?.name ?? ir.inputs.find((n) => n.id === source)?.name ?? source;
    boxes.push({ id, role: 'output', kind: 'output', title: ir.outputs.length > 1 ? `output ${i + 1}` : 'output', details: [name] });
    addEdge(source, id);
  });

  return { name: ir.name, boxes, edges, groups: [...groups.values()], collapsedLayers };
}
