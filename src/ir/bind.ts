/**
 * Binding written values to a signature: positional values to the positional
 * ParamSpecs in order, `key=value` options by Keras name or alias, then every
 * default filled in. Used for layers, optimizer calls and the `fit` section.
 */
import { error, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { OptionNode, Value } from '../parser/ast.js';
import type { ParamSpec } from '../layers/types.js';
import type { ArgValue } from './types.js';
import { convertValue } from './values.js';
import { didYouMean } from '../runtime/data/suggest.js';

export interface Signature {
  /** How the owner reads in messages, e.g. "dense", "optimizer adam", "fit". */
  label: string;
  positional: readonly ParamSpec[];
  options: readonly ParamSpec[];
  /** Option keys the caller handles itself (e.g. `name`), listed so suggestions know them. */
  extraKeys?: readonly string[];
  /** A one-line example for "needs X" help. */
  example?: string;
}

export interface Bound {
  args: Record<string, ArgValue>;
  /** Where each argument was written (its value), keyed by Keras name. */
  argSpans: Record<string, Span>;
  diagnostics: Diagnostic[];
}

/** The spec an option key (Keras name or alias) refers to. */
export function findSpec(specs: readonly ParamSpec[], key: string): ParamSpec | undefined {
  return specs.find((s) => s.name === key) ?? specs.find((s) => s.aliases?.includes(key));
}

/** Every key a signature accepts, for suggestions. */
export function signatureKeys(sig: Signature): string[] {
  return [...sig.positional, ...sig.options].flatMap((s) => [s.name, ...(s.aliases ?? [])]).concat(sig.extraKeys ?? []);
}

/** A default as the IR stores it: a single number for a tuple is widened (pool size `2` -> [2, 2]). */
export function widenDefault(spec: ParamSpec): ArgValue | undefined {
  const d = spec.default;
  if (spec.arg.type === 'tuple' && typeof d === 'number') return Array(spec.arg.length).fill(d);
  return d === undefined ? undefined : copyArg(d);
}

/**
 * A copy of an argument value, so that no two nodes share an array or object.
 * Written out rather than structuredClone, a host call costing microseconds
 * even for a scalar, which most defaults are: a 3000-layer spec checked
 * about 8 ms faster without it.
 */
export function copyArg(v: ArgValue): ArgValue {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(copyArg);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyArg(x)]));
}

/** Positional specs then options; a layer's signature is shared by all its layers, so this is built once per signature. */
const specsOf = new WeakMap<Signature, readonly ParamSpec[]>();
function allSpecs(sig: Signature): readonly ParamSpec[] {
  let all = specsOf.get(sig);
  if (!all) specsOf.set(sig, (all = [...sig.positional, ...sig.options]));
  return all;
}

export function bindArgs(sig: Signature, positional: readonly Value[], options: readonly OptionNode[], ownerSpan: Span): Bound {
  const out: Bound = { args: {}, argSpans: {}, diagnostics: [] };
  const givenAt = new Map<string, Span>();
  const set = (spec: ParamSpec, v: Value, whereGiven: Span) => {
    const earlier = givenAt.get(spec.name);
    if (earlier) {
      const d = error('E-DUPLICATE-OPTION', `${sig.label} \`${spec.name}\` is given twice`, whereGiven, 'remove one of them');
      d.related = [{ message: `\`${spec.name}\` was first given here`, span: earlier }];
      out.diagnostics.push(d);
      return;
    }
    givenAt.set(spec.name, whereGiven);
    const converted = convertValue(v, spec.arg, `${sig.label} \`${spec.name}\``);
    if (converted.ok) {
      out.args[spec.name] = converted.value;
      out.argSpans[spec.name] = v.span;
    } else out.diagnostics.push(converted.diagnostic);
  };

  positional.forEach((v, i) => {
    const spec = sig.positional[i];
    if (spec) return set(spec, v, v.span);
    if (i > sig.positional.length) return; // one message for all the extra values
    const names = sig.positional.map((s) => s.name).join(', ');
    const takes = sig.positional.length === 0 ? 'takes no positional values' : `takes at most ${sig.positional.length} positional value${sig.positional.length === 1 ? '' : 's'} (${names})`;
    out.diagnostics.push(
      error('E-EXTRA-POSITIONAL', `${sig.label} ${takes}; got ${positional.length}`, v.span, 'give other arguments as `key=value` options'),
    );
  });

  const all = allSpecs(sig);
  for (const opt of options) {
    const spec = findSpec(all, opt.key);
    if (spec) set(spec, opt.value, opt.span);
    else
      out.diagnostics.push(
        error('E-UNKNOWN-OPTION', `${sig.label} has no option \`${opt.key}\``, opt.keySpan, didYouMean(opt.key, signatureKeys(sig), 'one of')),
      );
  }

  for (const spec of all) {
    if (givenAt.has(spec.name)) continue;
    // Keras's "same as that argument" default (pooling strides = pool size), written out in full.
    const from = spec.defaultFrom !== undefined ? out.args[spec.defaultFrom] : undefined;
    const d = from !== undefined ? copyArg(from) : widenDefault(spec);
    if (d !== undefined) out.args[spec.name] = d;
    else if (!spec.optional) {
      const example = sig.example ? `, e.g. \`${sig.example}\`` : '';
      const how = sig.positional.includes(spec) ? 'write it after the kind' : `add \`${spec.name}=...\``;
      out.diagnostics.push(error('E-MISSING-ARG', `${sig.label} needs \`${spec.name}\`: ${lowerFirst(spec.doc.replace(/\.$/, ''))}`, ownerSpan, how + example));
    }
  }
  return out;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
