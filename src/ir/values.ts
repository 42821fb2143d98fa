/**
 * Turning an AST value into an IR argument of the type a ParamSpec expects.
 * Only the type is checked here (an integer where an integer belongs, `5x5`
 * where a 2-D size belongs); ranges and enum members are the IR schema's job,
 * so a spec and an IR JSON file get the same messages for them.
 */
import { error, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { Value } from '../parser/ast.js';
import type { ArgType } from '../layers/types.js';
import type { ArgValue } from './types.js';
import { didYouMean, listChoices } from '../runtime/data/suggest.js';
import { REGULARIZERS } from '../layers/params.js';

export type Converted = { ok: true; value: ArgValue } | { ok: false; diagnostic: Diagnostic };

/** How a value reads in a message: "integer `5`", "`relu`", "dims `5x5`". */
export function describeValue(v: Value): string {
  switch (v.type) {
    case 'int':
      return `integer \`${v.raw}\``;
    case 'float':
      return `number \`${v.raw}\``;
    case 'bool':
      return `\`${v.raw}\``;
    case 'ident':
      return `name \`${v.raw}\``;
    case 'dims':
      return `dims \`${v.raw}\``;
    case 'list':
      return `list \`${v.raw}\``;
    case 'call':
      return `call \`${v.raw}\``;
    case 'map':
      return `map \`${v.raw}\``;
    case 'expr':
      return `arithmetic \`${v.raw}\``;
  }
}

/** What a type expects, as a noun phrase: "an integer", "2 sizes like `3x3` (or one integer for all)". */
export function describeType(arg: ArgType): string {
  switch (arg.type) {
    case 'int':
      return 'an integer';
    case 'float':
      return 'a number';
    case 'bool':
      return '`true` or `false`';
    case 'string':
      return 'a name';
    case 'enum':
      return `one of ${listChoices(arg.values)}`;
    case 'tuple':
      return arg.length === 1 ? 'an integer' : `${arg.length} sizes like \`${Array(arg.length).fill(3).join('x')}\` (or one integer for all)`;
    case 'shape':
      return 'a shape like `7x7x64`';
    case 'floats':
      return 'a number or a list of numbers like `[0.5, 2]`';
    case 'factor':
      return 'a number or a pair `[lower, upper]` like `[-0.2, 0.3]`';
    case 'layer':
      return `a layer kind (${listChoices(arg.kinds)})`;
    case 'regularizer':
      return 'a regularizer like `l2(1e-4)`, `l1(0.01)` or `l1_l2(l1=0.01, l2=0.01)`';
  }
}

function integerList(v: Value): number[] | undefined {
  if (v.type === 'int') return [v.value];
  if (v.type === 'dims') return v.dims.every((d): d is number => d !== null) ? v.dims : undefined;
  if (v.type === 'list') return v.items.every((i) => i.type === 'int') ? v.items.map((i) => (i as { value: number }).value) : undefined;
  return undefined;
}

/** The largest integer a number holds exactly; a larger one written in a spec would silently become another number. */
export const MAX_EXACT_INTEGER = Number.MAX_SAFE_INTEGER;

/** The first integer in `v` (or in its dims or items) too large to be held exactly. */
export function inexactInteger(v: Value): { raw: string; span: Value['span'] } | undefined {
  switch (v.type) {
    case 'int':
      return Number.isSafeInteger(v.value) ? undefined : { raw: v.raw, span: v.span };
    case 'dims':
      return v.dims.every((d) => d === null || Number.isSafeInteger(d)) ? undefined : { raw: v.raw, span: v.span };
    case 'list':
      for (const item of v.items) {
        const bad = inexactInteger(item);
        if (bad) return bad;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** The error for an integer beyond MAX_EXACT_INTEGER. */
export function inexactIntegerError(bad: { raw: string; span: Value['span'] }): Diagnostic {
  return error('E-INT-RANGE', `\`${bad.raw}\` is too large to be held exactly (the largest exact integer is 2^53 - 1 = 9,007,199,254,740,991)`, bad.span,
    'use a smaller number; no layer size or count comes near this');
}

/**
 * Converts `v` for a parameter of type `arg`. `what` names the parameter in
 * messages, e.g. "dense `units`".
 */
export function convertValue(v: Value, arg: ArgType, what: string): Converted {
  const fail = (help?: string): Converted => ({
    ok: false,
    diagnostic: error('E-ARG-TYPE', `${what} expects ${describeType(arg)}; got ${describeValue(v)}`, v.span, help),
  });
  const inexact = inexactInteger(v);
  if (inexact) return { ok: false, diagnostic: inexactIntegerError(inexact) };
  switch (arg.type) {
    case 'int':
      if (v.type === 'int') return { ok: true, value: v.value };
      if (v.type === 'float' && Number.isSafeInteger(v.value)) return fail(`write it as a whole number: \`${v.value}\``);
      if (v.type === 'float' && Number.isInteger(v.value)) return fail('a whole number this large cannot be held exactly (the largest is 2^53 - 1 = 9,007,199,254,740,991)');
      return fail();
    case 'float':
      return v.type === 'int' || v.type === 'float' ? { ok: true, value: v.value } : fail();
    case 'bool':
      return v.type === 'bool' ? { ok: true, value: v.value } : fail();
    case 'string':
    case 'enum':
    case 'layer':
      return v.type === 'ident' ? { ok: true, value: v.name } : fail();
    case 'tuple': {
      const items = integerList(v);
      if (items === undefined) return fail();
      if (items.length === 1) return { ok: true, value: Array(arg.length).fill(items[0]) };
      if (items.length !== arg.length) return fail(`give ${arg.length} sizes, or one integer to use for every dimension`);
      return { ok: true, value: items };
    }
    case 'floats': {
      if (v.type === 'int' || v.type === 'float') return { ok: true, value: v.value };
      if (v.type === 'list' && v.items.length > 0 && v.items.every((i) => i.type === 'int' || i.type === 'float')) {
        return { ok: true, value: v.items.map((i) => (i as { value: number }).value) };
      }
      return fail();
    }
    case 'factor': {
      if (v.type === 'int' || v.type === 'float') return { ok: true, value: v.value };
      if (v.type === 'list' && v.items.every((i) => i.type === 'int' || i.type === 'float')) {
        if (v.items.length !== 2) return fail('give one number, or two: `[lower, upper]`');
        return { ok: true, value: v.items.map((i) => (i as { value: number }).value) };
      }
      return fail();
    }
    case 'shape': {
      const items = integerList(v);
      if (items === undefined) {
        const help = v.type === 'dims' ? 'a target shape cannot contain `?`; use a list with -1 for one inferred dimension, e.g. `[-1, 16]`' : undefined;
        return fail(help);
      }
      return { ok: true, value: items };
    }
    case 'regularizer':
      return convertRegularizer(v, what, fail);
  }
}

/** `l2(1e-4)`, `l1_l2(l1=0.01, l2=0.01)` or a bare `l2` (Keras's defaults) as {l1, l2}. */
function convertRegularizer(v: Value, what: string, fail: (help?: string) => Converted): Converted {
  const name = v.type === 'ident' ? v.name : v.type === 'call' ? v.callee : undefined;
  if (name === undefined) return fail('e.g. `kernel_regularizer=l2(1e-4)`');
  const def = Object.hasOwn(REGULARIZERS, name) ? REGULARIZERS[name] : undefined;
  const nameSpan = v.type === 'call' ? v.calleeSpan : v.span;
  if (!def) return { ok: false, diagnostic: error('E-ARG-VALUE', `${what}: unknown regularizer \`${name}\``, nameSpan, didYouMean(name, Object.keys(REGULARIZERS), 'one of')) };
  const value = { ...def.defaults };
  if (v.type !== 'call') return { ok: true, value };
  const given = new Set<string>();
  const set = (param: string | undefined, x: Value, where: Span): Diagnostic | undefined => {
    if (param === undefined || !def.params.includes(param)) {
      const takes = def.params.map((p) => `\`${p}\``).join(' and ');
      return param === undefined
        ? error('E-EXTRA-POSITIONAL', `\`${name}\` takes ${def.params.length} value${def.params.length === 1 ? '' : 's'} (${takes}); got ${v.args.length}`, where)
        : error('E-UNKNOWN-OPTION', `\`${name}\` has no argument \`${param}\``, where, didYouMean(param, [...def.params], 'one of'));
    }
    if (given.has(param)) return error('E-DUPLICATE-OPTION', `\`${name}\` \`${param}\` is given twice`, where, 'remove one of them');
    given.add(param);
    if ((x.type !== 'int' && x.type !== 'float') || x.value < 0) {
      return error('E-ARG-TYPE', `\`${name}\` \`${param}\` expects a number ≥ 0; got ${describeValue(x)}`, x.span, `e.g. \`${name}(1e-4)\``);
    }
    value[param as 'l1' | 'l2'] = x.value;
    return undefined;
  };
  for (const [i, x] of v.args.entries()) {
    const bad = set(def.params[i], x, x.span);
    if (bad) return { ok: false, diagnostic: bad };
  }
  for (const o of v.options) {
    const bad = set(o.key, o.value, o.key === undefined ? o.span : o.keySpan);
    if (bad) return { ok: false, diagnostic: bad };
  }
  return { ok: true, value };
}
