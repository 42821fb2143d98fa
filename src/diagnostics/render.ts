import type { Diagnostic } from './diagnostic.js';

export interface RenderOptions {
  /** Colour the severity word and the caret (for a TTY). */
  color?: boolean;
}

const COLORS = { error: '\x1b[31;1m', warning: '\x1b[33;1m', note: '\x1b[36;1m', help: '\x1b[32m', reset: '\x1b[0m' };

/**
 * Renders one diagnostic the way compilers do:
 *
 *   specs/x.model:3:1: error: unknown layer kind `dense2`
 *     3 | dense2 10 softmax
 *       | ^^^^^^
 *   help: did you mean `dense`?
 *
 * `source` is the text of `file`; without it (or without a span) only the
 * first line and the help are printed.
 */
export function renderDiagnostic(d: Diagnostic, file: string, source?: string, opts: RenderOptions = {}): string {
  return renderWithLines(d, file, source === undefined ? undefined : splitLines(source), opts);
}

/** All of a file's diagnostics; the source is split into lines once, not once per diagnostic. */
export function renderDiagnostics(ds: readonly Diagnostic[], file: string, source?: string, opts: RenderOptions = {}): string {
  const lines = source === undefined ? undefined : splitLines(source);
  return ds.map((d) => renderWithLines(d, file, lines, opts)).join('\n');
}

/** Control characters (C0 but newline and tab, DEL, C1) and the bidirectional overrides that reorder what a terminal shows. */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `s` with its control characters written as escapes (`\x1b`, `\u202e`), so
 * text from a file (a source line, a class name) cannot drive the terminal.
 */
export function escapeControl(s: string): string {
  return s.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Source lines are shown at most this wide; a longer one is clipped around the caret. */
export const MAX_SHOWN_LINE = 120;

/**
 * The source line as shown (tabs as spaces, control characters escaped,
 * clipped around the marked columns) and where the caret goes in it.
 */
function shownLine(lineText: string, start: number, end: number): { text: string; caretAt: number; caretLen: number } {
  const show = (from: number, to: number) => escapeControl(lineText.slice(from, to).replace(/\t/g, ' '));
  // Columns are 1-based; [start, end) is the marked part.
  let from = 0;
  let to = lineText.length;
  if (lineText.length > MAX_SHOWN_LINE) {
    const context = Math.floor(MAX_SHOWN_LINE / 3);
    // A long mark is shown up to the width of a line, with some context either side.
    const markEnd = Math.min(end - 1, start - 1 + MAX_SHOWN_LINE);
    from = Math.max(0, start - 1 - context);
    to = Math.min(lineText.length, Math.max(from + MAX_SHOWN_LINE, markEnd + context));
  }
  const head = from > 0 ? '...' : '';
  const before = head + show(from, start - 1);
  const marked = show(start - 1, Math.min(end - 1, to));
  const text = before + marked + show(Math.min(end - 1, to), to) + (to < lineText.length ? '...' : '');
  return { text, caretAt: before.length, caretLen: Math.max(1, marked.length) };
}

function splitLines(source: string): readonly string[] {
  return source.split(/\r?\n/);
}

function renderWithLines(d: Diagnostic, file: string, sourceLines: readonly string[] | undefined, opts: RenderOptions): string {
  const paint = (c: keyof typeof COLORS, s: string) => (opts.color ? COLORS[c] + s + COLORS.reset : s);
  const where = d.file ?? file;
  const loc = d.span ? `${where}:${d.span.line}:${d.span.column}` : where;
  const out: string[] = [`${escapeControl(loc)}: ${paint(d.severity, d.severity)}: ${escapeControl(d.message)}`];
  const lines = d.file === undefined || d.file === file ? sourceLines : undefined;
  if (d.span && lines !== undefined) {
    const lineText = lines[d.span.line - 1];
    if (lineText !== undefined) {
      const gutter = String(d.span.line);
      const pad = ' '.repeat(gutter.length);
      const start = Math.max(1, d.span.column);
      const end = d.span.endLine === d.span.line ? Math.max(d.span.endColumn, start + 1) : lineText.length + 1;
      const shown = shownLine(lineText, start, Math.min(end, lineText.length + 1));
      out.push(`  ${gutter} | ${shown.text}`);
      out.push(`  ${pad} | ${' '.repeat(shown.caretAt)}${paint(d.severity, '^'.repeat(shown.caretLen))}`);
    }
  }
  // The fix belongs right under the caret; related notes (other places) follow it.
  if (d.help) out.push(`${paint('help', 'help')}: ${escapeControl(d.help)}`);
  for (const r of d.related ?? []) {
    const rloc = r.span ? `${r.file ?? where}:${r.span.line}:${r.span.column}` : (r.file ?? where);
    out.push(`${escapeControl(rloc)}: note: ${escapeControl(r.message)}`);
  }
  return out.join('\n');
}
