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
 * A Python expression to lay out: plain text, or a bracketed list of items
 * after a head (`KerasDense(...)`, `{...}`) whose items may be bracketed too.
 * A collection is a dict or list literal, which black never hugs.
 */
export type PyExpr = string | PyBracketed;

export interface PyBracketed {
  head: string;
  open: '(' | '[' | '{';
  items: PyExpr[];
  close: ')' | ']' | '}';
  collection?: boolean;
}

/** `head(item, ...)`. */
export const pyCall = (head: string, items: PyExpr[]): PyBracketed => ({ head, open: '(', items, close: ')' });

/** `{key: value, ...}` of already-written keys and values. */
export const pyDict = (entries: readonly [string, string][], head = ''): PyBracketed =>
  ({ head, open: '{', items: entries.map(([k, v]) => `${k}: ${v}`), close: '}', collection: true });

/** The expression on one line. */
export function pyFlat(e: PyExpr): string {
  return typeof e === 'string' ? e : `${e.head}${e.open}${e.items.map(pyFlat).join(', ')}${e.close}`;
}

/**
 * `e` laid out as black lays it out at `indent` (the column its first line
 * starts at), with `tail` after it (a trailing comma): on one line when it
 * fits in LINE_LENGTH; else a call's items hugged on one indented line of
 * their own; else one item a line with a trailing comma, each laid out the
 * same way. Dict and list literals are never hugged.
 */
export function pyLayout(e: PyExpr, indent: number, tail = ''): string {
  const flat = pyFlat(e);
  if (typeof e === 'string' || indent + flat.length + tail.length <= LINE_LENGTH || e.items.length === 0) return flat + tail;
  const inner = indent + 4;
  const pad = ' '.repeat(inner);
  // An assignment whose opening line would be too long: black wraps the right-hand side in parentheses.
  const assign = e.head.indexOf(' = ');
  if (assign > 0 && indent + e.head.length + 1 > LINE_LENGTH) {
    const rhs = pyFlat({ ...e, head: e.head.slice(assign + 3) });
    if (inner + rhs.length <= LINE_LENGTH) return `${e.head.slice(0, assign)} = (\n${pad}${rhs}\n${' '.repeat(indent)})${tail}`;
  }
  const closing = `\n${' '.repeat(indent)}${e.close}${tail}`;
  const hugged = pad + e.items.map(pyFlat).join(', ');
  if (!e.collection && hugged.length <= LINE_LENGTH) return `${e.head}${e.open}\n${hugged}${closing}`;
  return `${e.head}${e.open}\n${e.items.map((item) => pad + pyLayout(item, inner, ',')).join('\n')}${closing}`;
}
