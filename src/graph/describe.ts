/**
 * A layer's main arguments in the DSL's own words, for its box: the
 * positional arguments, then the options that differ from their defaults
 * (`conv2d 32 5x5 relu strides=2`), read from the kind's definition.
 */
import { findLayer, type ParamSpec } from '../layers/index.js';
import type { ArgValue, IRNode } from '../ir/types.js';

export function formatArg(v: ArgValue): string {
  if (Array.isArray(v)) {
    // Dims as the DSL writes them (`5x5`); a reshape's inferred -1 only fits its list form (`[-1, 16]`).
    const dims = v.every((d) => (typeof d === 'number' && d >= 0) || d === null);
    return dims && v.length > 0 ? v.map((d) => (d === null ? '?' : String(d))).join('x') : `[${v.map(formatArg).join(', ')}]`;
  }
  if (v !== null && typeof v === 'object') {
    // A wrapped layer (bidirectional's): its kind and its own main arguments.
    const inner = v as { kind?: unknown; args?: unknown };
    if (typeof inner.kind === 'string' && inner.args && typeof inner.args === 'object') {
      return [inner.kind, describeArgs({ kind: inner.kind, args: inner.args as Record<string, ArgValue> })].filter(Boolean).join(' ');
    }
    return `{${Object.entries(v).map(([k, x]) => `${k}: ${formatArg(x)}`).join(', ')}}`;
  }
  return String(v);
}

function same(a: ArgValue | undefined, b: ArgValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A tuple default such as `1` for strides is stored widened ([1, 1]); both mean the default. */
function isDefault(spec: ParamSpec, value: ArgValue, args: Record<string, ArgValue>): boolean {
  if (value === null || value === undefined) return true;
  if (spec.defaultFrom !== undefined && same(value, args[spec.defaultFrom])) return true;
  if (spec.default === undefined) return false;
  if (same(value, spec.default)) return true;
  return Array.isArray(value) && value.every((d) => same(d, spec.default));
}

export function describeArgs(node: Pick<IRNode, 'kind' | 'args'>): string {
  const def = findLayer(node.kind);
  if (!def) {
    // A kind this build has no definition for: every argument, as written in the IR.
    return Object.entries(node.args).map(([k, v]) => `${k}=${formatArg(v)}`).join(' ');
  }
  const positional = def.positional
    .filter((p) => node.args[p.name] !== undefined && node.args[p.name] !== null)
    // A trailing activation that is the default (linear) says nothing.
    .filter((p) => !(p.default !== undefined && same(node.args[p.name], p.default) && p !== def.positional[0]))
    .map((p) => formatArg(node.args[p.name]!));
  const options = def.options
    .filter((o) => o.name !== 'name' && node.args[o.name] !== undefined && !isDefault(o, node.args[o.name]!, node.args))
    .map((o) => `${o.name}=${formatArg(node.args[o.name]!)}`);
  return [...positional, ...options].join(' ');
}
