/**
 * Positions as editors count them: 0-based lines and UTF-16 characters, the
 * Language Server Protocol's own convention, so the LSP layer passes them
 * through unchanged. Spans (src/diagnostics) are 1-based with an exclusive
 * end column; both count JavaScript string characters, i.e. UTF-16 units.
 */
import type { Span } from '../diagnostics/diagnostic.js';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

export function spanToRange(span: Span): Range {
  return {
    start: { line: span.line - 1, character: span.column - 1 },
    end: { line: span.endLine - 1, character: span.endColumn - 1 },
  };
}

/** Whether `pos` lies within `span`, its end included (a cursor just after a word is on it). */
export function spanContains(span: Span, pos: Position): boolean {
  const line = pos.line + 1;
  const column = pos.character + 1;
  if (line < span.line || line > span.endLine) return false;
  if (line === span.line && column < span.column) return false;
  if (line === span.endLine && column > span.endColumn) return false;
  return true;
}

/** Whether `inner` lies within `outer`. */
export function spanWithin(inner: Span, outer: Span): boolean {
  const startsAfter = inner.line > outer.line || (inner.line === outer.line && inner.column >= outer.column);
  const endsBefore = inner.endLine < outer.endLine || (inner.endLine === outer.endLine && inner.endColumn <= outer.endColumn);
  return startsAfter && endsBefore;
}

/** A key for looking spans up in maps: two spans are the same place when their keys are equal. */
export function spanKey(span: Span): string {
  return `${span.line}:${span.column}:${span.endLine}:${span.endColumn}`;
}

/** Reading order. */
export function compareSpans(a: Span, b: Span): number {
  return a.line - b.line || a.column - b.column;
}

/** The lines of a text, without their line breaks (`\r\n` or `\n`), split once per document. */
export class LineIndex {
  readonly lines: readonly string[];

  constructor(readonly text: string) {
    this.lines = text.split(/\r?\n/);
  }

  line(n: number): string {
    return this.lines[n] ?? '';
  }

  /** The range of the whole text, for edits that replace it. */
  fullRange(): Range {
    const last = this.lines.length - 1;
    return { start: { line: 0, character: 0 }, end: { line: last, character: this.line(last).length } };
  }

  /** The text of `span` (which may run over lines). */
  slice(span: Span): string {
    if (span.line === span.endLine) return this.line(span.line - 1).slice(span.column - 1, span.endColumn - 1);
    const parts = [this.line(span.line - 1).slice(span.column - 1)];
    for (let l = span.line; l < span.endLine - 1; l++) parts.push(this.line(l));
    parts.push(this.line(span.endLine - 1).slice(0, span.endColumn - 1));
    return parts.join('\n');
  }
}
