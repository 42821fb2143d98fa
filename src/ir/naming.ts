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
import type { Span } from '../diagnostics/diagnostic.js';
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
 * A block call as a naming scope: named like a layer in its caller's scope
 * (`residual`, `residual_1`, ...) unless given `name=`, and the prefix of
 * every name inside it (`stage_1_residual_2_conv2d`). `name` and `prefix`
 * are filled in by `assignNames`.
 */
export interface CallScope {
  block: string;
  parent?: CallScope;
  /** The call's `name=`, if any (with `repeat=`, suffixed `_1`, `_2`, ...). */
  userName?: string;
  span?: Span;
  name: string;
  prefix: string;
}

/**
 * Names every call, in order, in its caller's scope, then every layer: a
 * user's `name=` is prefixed by its call's name; every slot in `auto` gets its
 * Keras default name from its kerasClass, counted afresh in each call's scope
 * (a call does not advance its caller's counters), skipping every name taken.
 * Run once, when the IR is made, after `settleRankClasses`.
 */
export function assignNames(ir: IR, auto: ReadonlySet<string>, callOf: ReadonlyMap<string, CallScope>, calls: readonly CallScope[]): void {
  const callCounters = new Map<CallScope | undefined, Map<string, number>>();
  for (const call of calls) {
    if (call.userName !== undefined) call.name = call.userName;
    else call.name = nextName(counterOf(callCounters, call.parent), call.block);
    call.prefix = `${call.parent?.prefix ?? ''}${call.name}_`;
  }

  const slots = namedSlots(ir);
  const scopeOf = (slot: string) => (callOf.size === 0 ? undefined : callOf.get(slot.endsWith('/layer') ? slot.slice(0, -'/layer'.length) : slot));
  const taken = new Set<string>();
  for (const { slot, target } of slots) {
    if (auto.has(slot)) continue;
    target.name = (scopeOf(slot)?.prefix ?? '') + target.name;
    taken.add(target.name);
  }
  const counters = new Map<CallScope | undefined, Map<string, number>>();
  for (const { slot, target } of slots) {
    if (!auto.has(slot)) continue;
    const scope = scopeOf(slot);
    const prefix = scope?.prefix ?? '';
    const base = defaultBase(target.kerasClass);
    const counter = counterOf(counters, scope);
    let name = prefix + nextName(counter, base);
    while (taken.has(name)) name = prefix + nextName(counter, base);
    taken.add(name);
    target.name = name;
  }
}

function counterOf(counters: Map<CallScope | undefined, Map<string, number>>, scope: CallScope | undefined): Map<string, number> {
  let counter = counters.get(scope);
  if (!counter) counters.set(scope, (counter = new Map()));
  return counter;
}

/** `base`, then `base_1`, `base_2`, ... */
function nextName(counter: Map<string, number>, base: string): string {
  const n = counter.get(base) ?? 0;
  counter.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}
