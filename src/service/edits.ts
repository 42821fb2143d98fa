/**
 * Edits the service proposes: formatting (`mlc fmt`'s layout) and quick fixes
 * that apply a diagnostic's `help:` as an edit. The fixes read the help the
 * compiler wrote, so every check that says "did you mean `dense`?", "add
 * `flatten` before it" or "use `padding=same`" gets its fix without a table
 * of its own here.
 */
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { LayerStmt, OptionNode } from '../parser/ast.js';
import { formatSource } from '../parser/fmt.js';
import type { Analysis } from './analysis.js';
import { isSpan } from './analysis.js';
import { spanContains, spanToRange, spanWithin, type Range, type TextEdit } from './text.js';

/** The whole document in canonical layout; no edits when it is already so, or when it has syntax errors (formatting could lose text). */
export function formatDocument(a: Analysis): TextEdit[] {
  if (a.isIR) return [];
  const { text } = formatSource(a.source);
  if (text === undefined || text === a.source) return [];
  return [{ range: a.text.fullRange(), newText: text }];
}

export interface CodeAction {
  title: string;
  /** The diagnostic it fixes. */
  diagnostic: Diagnostic;
  edits: TextEdit[];
  /** Whether it is the obvious fix (editors apply it with one key). */
  preferred: boolean;
}

/** Quick fixes for the diagnostics that touch `range`. */
export function codeActions(a: Analysis, range: Range): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of a.diagnostics) {
    if (!d.span || !d.help || !overlaps(spanToRange(d.span), range)) continue;
    actions.push(...fixesFor(a, d));
  }
  return actions;
}

function overlaps(x: Range, y: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(x.end, y.start) && !before(y.end, x.start);
}

/** What a help line can ask for, each with the edit that does it. */
export function fixesFor(a: Analysis, d: Diagnostic): CodeAction[] {
  const help = d.help!;
  const span = d.span!;
  const actions: CodeAction[] = [];
  const action = (title: string, edits: TextEdit[], preferred = true) => actions.push({ title, diagnostic: d, edits, preferred });

  // "did you mean `dense`?": replace the word the diagnostic points at.
  const meant = /did you mean `([^`]+)`\?/.exec(help)?.[1];
  if (meant !== undefined && span.line === span.endLine) action(`Change to \`${meant}\``, [{ range: spanToRange(span), newText: meant }]);

  const layer = layerAt(a, span);
  // "add `reshape 28x28x1` before it" / "add `flatten` before it": a new layer in front of this one.
  // A help that shows a pattern (`reshape HxWxC`, `embedding VOCAB 64`) leaves a choice to the user: no edit.
  const added = /add `([^`A-Z]+)` (before|after) it/.exec(help);
  if (added && layer) action(`Add \`${added[1]}\` ${added[2]} \`${layer.kind}\``, [insertLayer(a, layer, added[1], added[2] as 'before' | 'after')]);

  // "use `padding=same`" / "use `loss=binary_crossentropy`": set that option on the statement.
  for (const m of help.matchAll(/use `([A-Za-z_]\w*)=([^`\s]+)`/g)) {
    const owner = layer ?? statementAt(a, span);
    if (owner) action(`Set \`${m[1]}=${m[2]}\``, [setOption(owner, m[1], m[2])], actions.length === 0);
  }
  return actions;
}

/** The layer statement the diagnostic's span lies in. */
function layerAt(a: Analysis, span: Span): LayerStmt | undefined {
  return a.index().layers.find((l) => spanWithin(span, l.stmt.span) || spanContains(l.stmt.span, { line: span.line - 1, character: span.column - 1 }))?.stmt;
}

interface WithOptions {
  span: Span;
  options: OptionNode[];
}

/** The top-level statement (a section, an input) the span lies in, when it has options. */
function statementAt(a: Analysis, span: Span): WithOptions | undefined {
  for (const s of a.ast?.statements ?? []) {
    if (spanWithin(span, s.span) && 'options' in s && Array.isArray(s.options)) return s as WithOptions;
  }
  return undefined;
}

/**
 * A layer alone on its line gets the new layer on a line of its own above
 * (or below), indented alike; a layer inside a `->` chain gets `NEW -> ` in front.
 */
function insertLayer(a: Analysis, layer: LayerStmt, text: string, where: 'before' | 'after'): TextEdit {
  const line = a.text.line(layer.span.line - 1);
  const indent = /^\s*/.exec(line)![0];
  const aloneBefore = line.slice(0, layer.span.column - 1).trim() === '';
  const restAfter = a.text.line(layer.span.endLine - 1).slice(layer.span.endColumn - 1).replace(/#.*$/, '').trim();
  const start = { line: layer.span.line - 1, character: layer.span.column - 1 };
  const end = { line: layer.span.endLine - 1, character: layer.span.endColumn - 1 };
  if (where === 'before') {
    if (aloneBefore) return { range: { start: { line: start.line, character: 0 }, end: { line: start.line, character: 0 } }, newText: `${indent}${text}\n` };
    return { range: { start, end: start }, newText: `${text} -> ` };
  }
  if (restAfter === '') {
    const eol = { line: end.line, character: a.text.line(end.line).length };
    return { range: { start: eol, end: eol }, newText: `\n${indent}${text}` };
  }
  return { range: { start: end, end }, newText: ` -> ${text}` };
}

/** Replaces the value of option `key` (an alias counts) or appends `key=value` to the statement. */
function setOption(owner: WithOptions | LayerStmt, key: string, value: string): TextEdit {
  const existing = owner.options.find((o) => o.key === key);
  if (existing && isSpan(existing.value.span)) return { range: spanToRange(existing.value.span), newText: value };
  const end = spanToRange(owner.span).end;
  return { range: { start: end, end }, newText: ` ${key}=${value}` };
}
