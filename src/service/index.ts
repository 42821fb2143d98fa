/**
 * The language service: one pure API over the compiler pipeline for every
 * tool that shows a `.model` file to a person. `analyse` compiles a text once;
 * each feature reads that one analysis. The CLI (check, summary) and the
 * language server (src/lsp) both call it, so an editor shows exactly what
 * `mlc check` prints. No file system, no I/O, no editor types.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Analysis } from './analysis.js';
import { spanToRange, type Range } from './text.js';

export { analyse, isIRFile, type Analysis, type DocumentIndex, type LayerSite, type SymbolDef, type SiteFacts } from './analysis.js';
export { inlayHints, formatHintShape, type InlayHint } from './hints.js';
export { hover, type Hover } from './hover.js';
export { completions, type CompletionItem, type CompletionKind } from './completion.js';
export { definition, references, prepareRename, rename, documentSymbols, type OutlineSymbol, type OutlineKind, type RenameResult } from './navigation.js';
export { semanticTokens, encodeTokens, TOKEN_TYPES, TOKEN_MODIFIERS, type SemanticToken } from './tokens.js';
export { formatDocument, codeActions, type CodeAction } from './edits.js';
export type { Position, Range, TextEdit } from './text.js';
export { ParseCache } from '../parser/parse.js';

export interface EditorDiagnostic {
  range: Range;
  severity: Diagnostic['severity'];
  code: string;
  /** The message, then the help on a line of its own, as `mlc check` prints them. */
  message: string;
  related: { range?: Range; file?: string; message: string }[];
}

/** The compiler's diagnostics placed in the document; one without a place goes on the first line. */
export function diagnostics(a: Analysis): EditorDiagnostic[] {
  return a.diagnostics.map((d) => ({
    range: d.span && d.file === undefined ? spanToRange(d.span) : { start: { line: 0, character: 0 }, end: { line: 0, character: a.text.line(0).length } },
    severity: d.severity,
    code: d.code,
    message: d.help ? `${d.message}\nhelp: ${d.help}` : d.message,
    related: (d.related ?? []).map((r) => ({ range: r.span ? spanToRange(r.span) : undefined, file: r.file, message: r.message })),
  }));
}
