/**
 * Semantic tokens: what each word of the document is, as the parser and the
 * name index see it, so an editor colours a tensor name differently from an
 * activation and a block call differently from a layer kind. Read from the
 * AST generically (any statement with a `type`, values, options, spans).
 */
import type { Span } from '../diagnostics/diagnostic.js';
import type { Analysis } from './analysis.js';
import { isSpan } from './analysis.js';
import { STATEMENT_KEYWORDS } from './catalog.js';
import { compareSpans, spanKey } from './text.js';

/** The legend, in the order the LSP layer announces it. */
export const TOKEN_TYPES = ['keyword', 'function', 'class', 'variable', 'parameter', 'property', 'enumMember', 'number', 'comment', 'namespace'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];
export const TOKEN_MODIFIERS = ['declaration', 'defaultLibrary'] as const;
export type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export interface SemanticToken {
  line: number;
  character: number;
  length: number;
  type: TokenType;
  modifiers?: TokenModifier[];
}

const KEYWORD_STATEMENTS = new Set<string>(STATEMENT_KEYWORDS);
/** `_` (the tensor from the left) and `in` (a block's input): tensors no statement defines. */
const IMPLICIT_TENSORS = new Set(['_', 'in']);

export function semanticTokens(a: Analysis): SemanticToken[] {
  const tokens: { span: Span; type: TokenType; modifiers?: TokenModifier[] }[] = [];
  const add = (span: Span, type: TokenType, modifiers?: TokenModifier[]) => {
    if (span.line === span.endLine && span.endColumn > span.column) tokens.push({ span, type, modifiers });
  };
  const index = a.index();
  const names = new Map<string, TokenType>();
  for (const d of index.definitions) {
    const type: TokenType = d.kind === 'block' ? 'class' : d.kind === 'param' ? 'parameter' : 'variable';
    add(d.nameSpan, type, ['declaration']);
  }
  for (const r of index.references) names.set(spanKey(r.span), r.def.kind === 'block' ? 'class' : r.def.kind === 'param' ? 'parameter' : 'variable');

  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (typeof value !== 'object' || value === null || isSpan(value)) return;
    const node = value as Record<string, unknown>;
    const type = typeof node.type === 'string' ? node.type : undefined;
    const span = isSpan(node.span) ? node.span : undefined;
    if (type && span && KEYWORD_STATEMENTS.has(type) && a.text.slice({ ...span, endLine: span.line, endColumn: span.column + type.length }) === type) {
      add({ line: span.line, column: span.column, endLine: span.line, endColumn: span.column + type.length }, 'keyword');
    }
    if (type === 'model' && isSpan(node.nameSpan)) add(node.nameSpan, 'namespace', ['declaration']);
    if (type === 'layer' && isSpan(node.kindSpan)) {
      const named = IMPLICIT_TENSORS.has(node.kind as string) ? 'variable' : names.get(spanKey(node.kindSpan));
      add(node.kindSpan, named ?? 'function', named ? undefined : ['defaultLibrary']);
    }
    if (typeof node.key === 'string' && isSpan(node.keySpan)) add(node.keySpan, names.get(spanKey(node.keySpan)) ?? 'property');
    if (span) {
      if (type === 'int' || type === 'float' || type === 'dims') add(span, 'number');
      else if (type === 'bool') add(span, 'keyword');
      else if (type === 'ident') add(span, IMPLICIT_TENSORS.has(node.name as string) ? 'variable' : (names.get(spanKey(span)) ?? 'enumMember'));
    }
    if (type === 'call' && isSpan(node.calleeSpan)) add(node.calleeSpan, 'function', ['defaultLibrary']);
    for (const [key, child] of Object.entries(node)) if (key !== 'raw' && !key.endsWith('pan')) walk(child);
  };
  walk(a.ast?.statements ?? []);
  for (const c of a.ast?.comments ?? []) add(c.span, 'comment');

  // Reading order, one token per place (a definition and its statement may both claim a name).
  tokens.sort((x, y) => compareSpans(x.span, y.span));
  const out: SemanticToken[] = [];
  let endLine = 0;
  let endColumn = 0;
  for (const t of tokens) {
    if (t.span.line === endLine && t.span.column < endColumn) continue;
    out.push({ line: t.span.line - 1, character: t.span.column - 1, length: t.span.endColumn - t.span.column, type: t.type, modifiers: t.modifiers });
    endLine = t.span.line;
    endColumn = t.span.endColumn;
  }
  return out;
}

/** The LSP encoding: five integers per token, each position relative to the token before. */
export function encodeTokens(tokens: readonly SemanticToken[]): number[] {
  const data: number[] = [];
  let line = 0;
  let character = 0;
  for (const t of tokens) {
    const deltaLine = t.line - line;
    data.push(deltaLine, deltaLine === 0 ? t.character - character : t.character, t.length, TOKEN_TYPES.indexOf(t.type), modifierBits(t.modifiers));
    line = t.line;
    character = t.character;
  }
  return data;
}

function modifierBits(modifiers: readonly TokenModifier[] | undefined): number {
  let bits = 0;
  for (const m of modifiers ?? []) bits |= 1 << TOKEN_MODIFIERS.indexOf(m);
  return bits;
}
