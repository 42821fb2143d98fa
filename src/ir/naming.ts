/**
 * Keras's default layer names: the snake_case of the class (`Conv2D` ->
 * `conv2d`, `MaxPooling2D` -> `max_pooling2d`, `SimpleRNN` -> `simple_rnn`),
 * then `_1`, `_2`, ... for later layers of the same class, counted per model.
 */
import type { IR } from './types.js';

/** keras.src.utils.naming.to_snake_case, regex for regex. */
export function kerasSnakeCase(className: string): string {
  return className
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** A model has a handful of classes but may have thousands of layers: each class is converted once. */
const snakeCaseOfClass = new Map<string, string>();
function defaultBase(className: string): string {
  let base = snakeCaseOfClass.get(className);
  if (base === undefined) snakeCaseOfClass.set(className, (base = kerasSnakeCase(className)));
  return base;
}

/**
 * A layer-name slot: a node (`id`) or a wrapper's inner layer (`id/layer`).
 * Keras builds the inner layer first (`Bidirectional(LSTM(64))`), so its slot
 * comes before the wrapper's.
 */
export function nameSlots(ir: IR): string[] {
  return namedSlots(ir).map((s) => s.slot);
}

/** Each slot with the object that carries its name and class, in Keras's build order. */
function namedSlots(ir: IR): { slot: string; target: { name: string; kerasClass: string } }[] {
  const out: { slot: string; target: { name: string; kerasClass: string } }[] = [];
  for (const n of ir.nodes) {
    const inner = n.args.layer;
    if (isWrappedLayer(inner)) out.push({ slot: `${n.id}/layer`, target: inner });
    out.push({ slot: n.id, target: n });
  }
  return out;
}

interface WrappedLayer {
  kind: string;
  kerasClass: string;
  name: string;
  args: Record<string, unknown>;
}

export function isWrappedLayer(v: unknown): v is WrappedLayer {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as WrappedLayer).kerasClass === 'string';
}

/**
 * Gives every slot in `auto` its Keras default name, in model order, from its
 * current kerasClass; names the user chose are never reused. Run once after
 * lowering and again after inference has settled rank-dependent classes.
 */
export function assignDefaultNames(ir: IR, auto: ReadonlySet<string>): void {
  const slots = namedSlots(ir);
  const taken = new Set<string>();
  for (const { slot, target } of slots) if (!auto.has(slot)) taken.add(target.name);
  const counters = new Map<string, number>();
  for (const { slot, target } of slots) {
    if (!auto.has(slot)) continue;
    const base = defaultBase(target.kerasClass);
    let n = counters.get(base) ?? 0;
    let name = n === 0 ? base : `${base}_${n}`;
    while (taken.has(name)) name = `${base}_${++n}`;
    counters.set(base, n + 1);
    taken.add(name);
    target.name = name;
  }
}

/**
 * After inference: takes each node's Keras class as inference resolved it
 * (global pooling is 1D or 2D by input rank) and renames the auto-named slots
 * accordingly (`global_average_pooling1d`), in the IR and in the facts.
 */
export function settleClasses(ir: IR, facts: { nodes: { id: string; name: string; kerasClass: string }[] }, auto: ReadonlySet<string>): void {
  let changed = false;
  const byId = nodesById(ir);
  for (const f of facts.nodes) {
    const node = byId.get(f.id);
    if (node && node.kerasClass !== f.kerasClass) {
      node.kerasClass = f.kerasClass;
      changed = true;
    }
  }
  if (!changed || auto.size === 0) return;
  assignDefaultNames(ir, auto);
  for (const f of facts.nodes) f.name = byId.get(f.id)?.name ?? f.name;
}

/** Node lookup by id; a model can have thousands of nodes, so no linear search per node. */
function nodesById(ir: IR): Map<string, IR['nodes'][number]> {
  return new Map(ir.nodes.map((n) => [n.id, n]));
}
