/** Python source text: literals, identifiers and calls laid out as black would. */
import type { ArgValue } from '../../ir/types.js';

/** Black's default line length. */
export const LINE_LENGTH = 88;

const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'match', 'case', 'type',
]);

/** A Python identifier for a Keras name: invalid characters become `_`, keywords and builtins we use get a `_` suffix. */
export function pyIdentifier(name: string, taken: ReadonlySet<string> = new Set()): string {
  let id = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (/^[0-9]/.test(id)) id = `_${id}`;
  if (KEYWORDS.has(id) || ['self', 'input', 'x', 'F', 'nn', 'torch', 'np'].includes(id)) id = `${id}_`;
  let unique = id;
  for (let n = 1; taken.has(unique); n++) unique = `${id}_${n}`;
  return unique;
}

/** A Python literal for an IR value: numbers, strings (double-quoted), booleans, None, lists as tuples where asked. */
export function pyLiteral(v: ArgValue | undefined, tuples = false): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloat(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) {
    const items = v.map((x) => pyLiteral(x, tuples));
    if (!tuples) return `[${items.join(', ')}]`;
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${pyLiteral(x, tuples)}`).join(', ')}}`;
}

/** A float as Python reads it back exactly: `0.001`, `1e-07`, `0.5`. */
export function pyFloat(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? 'math.inf' : v < 0 ? '-math.inf' : 'math.nan';
  if (Number.isInteger(v)) return `${v}.0`;
  const s = String(v);
  // JavaScript writes 1e-7; Python's repr writes 1e-07. Both parse; use Python's spelling.
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/**
 * `prefix + open + items + close` laid out as black does: on one line when it
 * fits in LINE_LENGTH at `indent`; else the items on one indented line of
 * their own; else one item a line with a trailing comma.
 */
export function pyBracketed(prefix: string, open: string, items: readonly string[], close: string, indent: number): string {
  const flat = `${prefix}${open}${items.join(', ')}${close}`;
  if (indent + flat.length <= LINE_LENGTH || items.length === 0) return flat;
  const inner = ' '.repeat(indent + 4);
  const hugged = `${inner}${items.join(', ')}`;
  if (hugged.length <= LINE_LENGTH && !hugged.includes('\n')) return `${prefix}${open}\n${hugged}\n${' '.repeat(indent)}${close}`;
  return `${prefix}${open}\n${items.map((a) => `${inner}${a},`).join('\n')}\n${' '.repeat(indent)}${close}`;
}

/** `prefix + name(args)`, laid out by pyBracketed. */
export function pyCall(name: string, args: readonly string[], indent: number, prefix = ''): string {
  return pyBracketed(`${prefix}${name}`, '(', args, ')', indent);
}

/** A dict literal of already-written keys and values, laid out by pyBracketed. */
export function pyDict(entries: readonly [string, string][], indent: number, prefix = ''): string {
  return pyBracketed(prefix, '{', entries.map(([k, v]) => `${k}: ${v}`), '}', indent);
}
