/**
 * Values as a layer receives them: a block's parameters replaced by the
 * values of the call, and integer arithmetic (`4*filters`, `filters/2`)
 * worked out. Runs on the AST, before the values are bound to a layer's
 * arguments, so a layer inside a block is checked exactly like one outside.
 */
import { error, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { ExprValue, IntValue, LayerStmt, OptionNode, Value } from '../parser/ast.js';
import { didYouMean } from '../runtime/data/suggest.js';
import { describeValue } from './values.js';

/** A block call's parameters: name -> the value it stands for (already resolved in the caller). */
export type ParamValues = ReadonlyMap<string, Value>;

/** What the parameters belong to, for messages: "block `residual`", or undefined outside any block. */
export interface ValueScope {
  params: ParamValues;
  block?: string;
}

/** A copy of `stmt` with every value resolved; undefined values (errors, reported) are left as written. */
export function resolveStatement(stmt: LayerStmt, scope: ValueScope, diagnostics: Diagnostic[]): LayerStmt {
  if (scope.params.size === 0 && !stmt.positional.some(hasArithmetic) && !stmt.options.some((o) => hasArithmetic(o.value))) return stmt;
  return {
    ...stmt,
    positional: stmt.positional.map((v) => resolveValue(v, scope, diagnostics) ?? v),
    options: stmt.options.map((o) => resolveOption(o, scope, diagnostics)),
  };
}

function resolveOption(o: OptionNode, scope: ValueScope, diagnostics: Diagnostic[]): OptionNode {
  const value = resolveValue(o.value, scope, diagnostics);
  return value === undefined || value === o.value ? o : { ...o, value };
}

function hasArithmetic(v: Value): boolean {
  switch (v.type) {
    case 'expr':
      return true;
    case 'list':
      return v.items.some(hasArithmetic);
    case 'map':
      return v.entries.some((e) => hasArithmetic(e.value));
    case 'call':
      return v.args.some(hasArithmetic) || v.options.some((o) => hasArithmetic(o.value));
    default:
      return false;
  }
}

/**
 * `v` with parameters replaced (keeping the span where the parameter was
 * used) and arithmetic worked out; undefined when arithmetic failed (reported).
 */
export function resolveValue(v: Value, scope: ValueScope, diagnostics: Diagnostic[]): Value | undefined {
  switch (v.type) {
    case 'ident': {
      const bound = scope.params.get(v.name);
      return bound === undefined ? v : { ...bound, span: v.span };
    }
    case 'expr': {
      const n = evaluate(v, scope, diagnostics);
      return n === undefined ? undefined : ({ type: 'int', value: n, raw: String(n), span: v.span } satisfies IntValue);
    }
    case 'list': {
      const items = v.items.map((i) => resolveValue(i, scope, diagnostics));
      return items.some((i) => i === undefined) ? undefined : { ...v, items: items as Value[] };
    }
    case 'map': {
      const entries = v.entries.map((e) => ({ ...e, value: resolveValue(e.value, scope, diagnostics) }));
      return entries.some((e) => e.value === undefined) ? undefined : { ...v, entries: entries as typeof v.entries };
    }
    case 'call':
      return { ...v, args: v.args.map((a) => resolveValue(a, scope, diagnostics) ?? a), options: v.options.map((o) => resolveOption(o, scope, diagnostics)) };
    default:
      return v;
  }
}

/** The integer an arithmetic value stands for; undefined (and reported) when it is not a whole number. */
function evaluate(v: Value, scope: ValueScope, diagnostics: Diagnostic[]): number | undefined {
  if (v.type === 'int') return v.value;
  if (v.type === 'ident') {
    const bound = scope.params.get(v.name);
    if (bound !== undefined) return bound.type === 'int' ? bound.value : notInteger({ ...bound, span: v.span }, diagnostics);
    const params = [...scope.params.keys()];
    diagnostics.push(
      error(
        'E-ARITHMETIC',
        scope.block ? `\`${v.name}\` is not a parameter of block \`${scope.block}\`` : `arithmetic works on integers and block parameters; \`${v.name}\` is neither`,
        v.span,
        params.length > 0 ? didYouMean(v.name, params, 'a parameter:') : 'arithmetic outside a block works on integers only, e.g. `4*16`',
      ),
    );
    return undefined;
  }
  if (v.type !== 'expr') return notInteger(v, diagnostics);
  const left = evaluate(v.left, scope, diagnostics);
  const right = evaluate(v.right, scope, diagnostics);
  if (left === undefined || right === undefined) return undefined;
  return apply(v, left, right, diagnostics);
}

function notInteger(v: Value, diagnostics: Diagnostic[]): undefined {
  return fail(diagnostics, `arithmetic works on integers; got ${describeValue(v)}`, v.span, 'use whole numbers, e.g. `4*filters` or `filters/2`');
}

function apply(v: ExprValue, a: number, b: number, diagnostics: Diagnostic[]): number | undefined {
  switch (v.operator) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) return fail(diagnostics, `\`${v.raw}\` divides by zero`, v.span, 'divide by a non-zero integer');
      if (a % b !== 0) return fail(diagnostics, `\`${v.raw}\` is not a whole number: ${a}/${b} = ${+(a / b).toFixed(4)}`, v.span, 'integer division must be exact; choose values that divide evenly');
      return a / b;
  }
}

function fail(diagnostics: Diagnostic[], message: string, span: Span, help: string): undefined {
  diagnostics.push(error('E-ARITHMETIC', message, span, help));
  return undefined;
}
