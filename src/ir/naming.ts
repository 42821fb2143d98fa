/**
 * Layer names, computed once when the IR is made and never rewritten.
 *
 * Keras's default names are the snake_case of the class (`Conv2D` ->
 * `conv2d`, `MaxPooling2D` -> `max_pooling2d`, `SimpleRNN` -> `simple_rnn`),
 * then `_1`, `_2`, ... for later layers of the same class, counted per model.
 * A few kinds take their Keras class from the rank of their input (global
 * pooling: GlobalMaxPooling1D or 2D), so naming first propagates ranks (not
 * shapes) through the DAG with each definition's `outputRank`; that needs no
 * inference and works on a model with errors.
 */
import { findLayer } from '../layers/index.js';
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
 * Settles the Keras class of rank-dependent kinds from their input's rank.
 * A rank is unknown where a statement did not lower or has no input; the
 * kind's default class stands there.
 */
export function settleRankClasses(ir: IR): void {
  const ranks = new Map<string, number>();
  for (const input of ir.inputs) ranks.set(input.id, input.shape.length + 1);
  for (const node of ir.nodes) {
    const def = findLayer(node.kind);
    const inputRanks = node.inputs.map((id) => ranks.get(id));
    if (!def || inputRanks.length === 0 || inputRanks.some((r) => r === undefined)) continue;
    const known = inputRanks as number[];
    if (def.classForRank) node.kerasClass = def.classForRank(known[0]);
    ranks.set(node.id, def.outputRank ? def.outputRank(known, node.args) : known[0]);
  }
}

/**
 * Gives every slot in `auto` its Keras default name, in model order, from its
 * kerasClass; names the user chose are never reused. Run once, when the IR
 * is made, after `settleRankClasses`.
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
