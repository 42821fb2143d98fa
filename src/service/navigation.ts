/**
 * Names across the document: go to definition, find references and rename
 * for tensor names, block parameters and blocks, and the outline (document
 * symbols: the model, inputs, layers, named tensors, blocks, sections).
 */
import type { Span } from '../diagnostics/diagnostic.js';
import { formatShape } from '../layers/index.js';
import type { Analysis, SymbolDef } from './analysis.js';
import { STATEMENT_KEYWORDS, findLayer } from './catalog.js';
import { formatHintShape } from './hints.js';
import { compareSpans, spanContains, spanToRange, spanWithin, type Position, type Range, type TextEdit } from './text.js';

/** The definition whose name, or one of whose uses, is under the cursor. */
export function symbolAt(a: Analysis, pos: Position): { def: SymbolDef; span: Span } | undefined {
  const index = a.index();
  const ref = index.references.find((r) => spanContains(r.span, pos));
  if (ref) return { def: ref.def, span: ref.span };
  const def = index.definitions.find((d) => spanContains(d.nameSpan, pos));
  return def ? { def, span: def.nameSpan } : undefined;
}

export function definition(a: Analysis, pos: Position): Range | undefined {
  const found = symbolAt(a, pos);
  return found ? spanToRange(found.def.nameSpan) : undefined;
}

export function references(a: Analysis, pos: Position, includeDeclaration = true): Range[] {
  const found = symbolAt(a, pos);
  if (!found) return [];
  const spans = a.index().occurrences(found.def);
  return (includeDeclaration ? spans : spans.slice(1)).map(spanToRange);
}

/**
 * Where a rename may start, and the name as written; `error` on a name the
 * language fixes (`in`, `_`), saying why; undefined where there is no name.
 */
export function prepareRename(a: Analysis, pos: Position): { range: Range; placeholder: string } | { error: string } | undefined {
  const found = symbolAt(a, pos);
  if (found) return { range: spanToRange(found.span), placeholder: found.def.name };
  const refused = FIXED_NAMES[wordAt(a, pos) ?? ''];
  return refused ? { error: refused } : undefined;
}

/**
 * Names the language gives, which no rename can change. A one-input block's
 * input is `in` in every block; naming it means listing it (`block b[x]`),
 * which changes how every call passes it (`b [t] ...`, not `t -> b ...`),
 * and so is a change of the block, not a rename.
 */
const FIXED_NAMES: Record<string, string> = {
  in: '`in` is the name the language gives a one-input block\'s input, in every block, so it cannot be renamed. To name the input, list it: `block NAME[x](...)`; its calls then pass it in brackets (`NAME [t] ...`).',
  _: '`_` is the tensor flowing in (the previous statement\'s output), not a name that can be renamed.',
};

/** The identifier under (or just before) the cursor, as written. */
function wordAt(a: Analysis, pos: Position): string | undefined {
  const line = a.text.line(pos.line);
  const isWord = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);
  let start = Math.min(pos.character, line.length);
  while (start > 0 && isWord(line[start - 1])) start--;
  let end = start;
  while (isWord(line[end])) end++;
  if (line.slice(0, start).includes('#')) return undefined;
  return end > start ? line.slice(start, end) : undefined;
}

export type RenameResult = { edits: TextEdit[] } | { error: string };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Words a tensor or block may not be called (DSL.md: never a layer kind, block name or keyword). */
const RESERVED = new Set<string>([...STATEMENT_KEYWORDS, 'in', '_', 'true', 'false']);

export function rename(a: Analysis, pos: Position, newName: string): RenameResult {
  const found = symbolAt(a, pos);
  if (!found) {
    const prepared = prepareRename(a, pos);
    return { error: prepared && 'error' in prepared ? prepared.error : 'there is no tensor, parameter or block name here to rename' };
  }
  if (!IDENTIFIER.test(newName)) return { error: `\`${newName}\` is not a name: use letters, digits and _, not starting with a digit` };
  if (RESERVED.has(newName.toLowerCase()) || findLayer(newName)) return { error: `\`${newName}\` is a keyword or layer kind and cannot name a ${found.def.kind}` };
  const index = a.index();
  const clash = index.definitions.find((d) => d !== found.def && d.name === newName && (d.kind === 'block' || found.def.kind === 'block' || d.scope === found.def.scope));
  if (clash) return { error: `\`${newName}\` is already defined on line ${clash.nameSpan.line}` };
  return { edits: index.occurrences(found.def).map((span) => ({ range: spanToRange(span), newText: newName })) };
}

export type OutlineKind = 'model' | 'input' | 'layer' | 'block' | 'tensor' | 'section';

export interface OutlineSymbol {
  name: string;
  detail?: string;
  kind: OutlineKind;
  range: Range;
  selectionRange: Range;
  children?: OutlineSymbol[];
}

/** The outline: sections, inputs, named tensors and blocks, with each statement's layers inside. */
export function documentSymbols(a: Analysis): OutlineSymbol[] {
  const index = a.index();
  const top: { span: Span; symbol: OutlineSymbol }[] = [];
  const add = (span: Span, symbol: OutlineSymbol) => top.push({ span, symbol });

  for (const s of a.ast?.statements ?? []) {
    if (s.type === 'model') add(s.span, { name: s.name, kind: 'model', detail: 'model', range: spanToRange(s.span), selectionRange: spanToRange(s.nameSpan) });
    if (s.type === 'compile' || s.type === 'fit') add(s.span, { name: s.type, kind: 'section', range: spanToRange(s.span), selectionRange: spanToRange(s.span) });
  }
  for (const input of index.inputs) {
    const shape = input.input ? formatHintShape([null, ...input.input.shape]) : undefined;
    add(input.span, { name: input.input?.name ?? 'input', kind: 'input', detail: shape, range: spanToRange(input.span), selectionRange: spanToRange(input.span) });
  }
  for (const def of index.definitions) {
    if (def.kind === 'param' || (def.kind === 'tensor' && index.inputs.some((i) => spanWithin(def.nameSpan, i.span)))) continue;
    const shape = index.shapeOf(def);
    add(def.span, {
      name: def.name,
      kind: def.kind === 'block' ? 'block' : 'tensor',
      detail: def.kind === 'block' ? 'block' : shape ? formatShape(shape) : undefined,
      range: spanToRange(def.span),
      selectionRange: spanToRange(def.nameSpan),
      children: [],
    });
  }
  // Each layer goes inside the innermost symbol (a block, a binding) that holds it, else at top level.
  top.sort((x, y) => compareSpans(x.span, y.span));
  for (const site of index.layers) {
    if (site.isTensor) continue;
    const f = index.factsOf(site);
    const names = f.facts.map((n) => n.name);
    const name = site.isBlockCall ? site.stmt.kind : names.length === 1 ? names[0] : site.stmt.kind;
    const detail = f.outputShape ? `${site.stmt.kind} → ${formatHintShape(f.outputShape)}` : site.stmt.kind;
    const symbol: OutlineSymbol = { name, kind: site.isBlockCall ? 'block' : 'layer', detail, range: spanToRange(site.stmt.span), selectionRange: spanToRange(site.stmt.kindSpan) };
    const holders = top.filter((t) => t.symbol.children && spanWithin(site.stmt.span, t.span));
    const holder = holders.sort((x, y) => compareSpans(y.span, x.span))[0];
    if (holder) holder.symbol.children!.push(symbol);
    else top.push({ span: site.stmt.span, symbol });
  }
  // A block's tensors belong inside it.
  const nested = new Set<OutlineSymbol>();
  for (const t of top) {
    if (t.symbol.kind !== 'tensor') continue;
    const holder = top.find((b) => b.symbol.kind === 'block' && b.symbol.children && b !== t && spanWithin(t.span, b.span));
    if (holder) {
      holder.symbol.children!.push(t.symbol);
      nested.add(t.symbol);
    }
  }
  for (const t of top) t.symbol.children?.sort((x, y) => x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character);
  return top
    .filter((t) => !nested.has(t.symbol))
    .sort((x, y) => compareSpans(x.span, y.span))
    .map((t) => t.symbol);
}
