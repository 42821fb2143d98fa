/**
 * The one diagnostic type of mlc. The parser, the IR schema check, shape
 * inference, the data loaders and the CLI all report problems as Diagnostics,
 * and one renderer (./render.ts) prints them.
 */

/** A source range. Lines and columns are 1-based; endColumn is exclusive. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type Severity = 'error' | 'warning' | 'note';

export interface RelatedInfo {
  message: string;
  span?: Span;
  file?: string;
}

export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable code, e.g. "E-PARSE", "E-SHAPE", "W-LOSS-ACTIVATION". */
  code: string;
  /** What was expected and what was found, in one sentence. */
  message: string;
  /** Where it is; absent for whole-file problems. */
  span?: Span;
  /** The file the span refers to, when it is not the file being rendered (e.g. a data file). */
  file?: string;
  /** How to fix it, e.g. "did you mean `softmax`?". */
  help?: string;
  related?: RelatedInfo[];
}

export function error(code: string, message: string, span?: Span, help?: string): Diagnostic {
  return { severity: 'error', code, message, span, help };
}

export function warning(code: string, message: string, span?: Span, help?: string): Diagnostic {
  return { severity: 'warning', code, message, span, help };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** The span that covers both a and b. */
export function joinSpans(a: Span, b: Span): Span {
  const startFirst = a.line < b.line || (a.line === b.line && a.column <= b.column);
  const endLast = a.endLine > b.endLine || (a.endLine === b.endLine && a.endColumn >= b.endColumn);
  const s = startFirst ? a : b;
  const e = endLast ? a : b;
  return { line: s.line, column: s.column, endLine: e.endLine, endColumn: e.endColumn };
}

/**
 * A problem that stops a command, carried as Diagnostics so that it is
 * rendered like every other (file, line, caret, help). Whatever stage finds
 * it (lowering to an engine, loading data, reading a save) throws this one
 * type; the CLI renders `diagnostics` with `file` and exits.
 */
export class DiagnosticError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic | Diagnostic[], readonly file?: string) {
    const list = Array.isArray(diagnostics) ? diagnostics : [diagnostics];
    super(list.map((d) => d.message).join('; '));
    this.diagnostics = list;
  }
}
