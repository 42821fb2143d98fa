/**
 * The spec's own text as comments above the code it became. The emitter works
 * from the IR; the source text is used for these comments only.
 */
import type { Span } from '../diagnostics/diagnostic.js';

export class SourceComments {
  private readonly lines: string[];

  constructor(source: string | undefined) {
    this.lines = source === undefined ? [] : source.split(/\r?\n/);
  }

  /**
   * `// conv 32 5x5 relu` for the statement at `span`: the whole source line,
   * or only the statement's own text when several layers share the line
   * (`conv 64 5x5 relu -> maxpool 2`), so each layer gets its own part.
   */
  above(span: Span | undefined): string {
    if (span === undefined) return '';
    const line = this.lines[span.line - 1];
    if (line === undefined) return '';
    const sameLine = span.endLine === span.line;
    const own = sameLine ? line.slice(span.column - 1, span.endColumn - 1).trim() : '';
    const text = line.includes('->') && own !== '' ? own : line.trim();
    return text === '' ? '' : `// ${lineCommentSafe(text)}\n`;
  }
}

/** JavaScript ends a `//` comment at any of these, so a stray one in the spec would turn the rest into code. */
export function lineCommentSafe(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]/g, ' ');
}

/** Text for inside a block comment: `*\/` would close it early. */
export function blockCommentSafe(text: string): string {
  return lineCommentSafe(text).replace(/\*\//g, '*\\/');
}
