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

function splitLines(source: string): readonly string[] {
  return source.split(/\r?\n/);
}

function renderWithLines(d: Diagnostic, file: string, sourceLines: readonly string[] | undefined, opts: RenderOptions): string {
  const paint = (c: keyof typeof COLORS, s: string) => (opts.color ? COLORS[c] + s + COLORS.reset : s);
  const where = d.file ?? file;
  const loc = d.span ? `${where}:${d.span.line}:${d.span.column}` : where;
  const out: string[] = [`${loc}: ${paint(d.severity, d.severity)}: ${d.message}`];
  const lines = d.file === undefined || d.file === file ? sourceLines : undefined;
  if (d.span && lines !== undefined) {
    const lineText = lines[d.span.line - 1];
    if (lineText !== undefined) {
      const gutter = String(d.span.line);
      const pad = ' '.repeat(gutter.length);
      const start = Math.max(1, d.span.column);
      const end = d.span.endLine === d.span.line ? Math.max(d.span.endColumn, start + 1) : lineText.length + 1;
      const caretLen = Math.max(1, Math.min(end, lineText.length + 1) - start);
      out.push(`  ${gutter} | ${lineText.replace(/\t/g, ' ')}`);
      out.push(`  ${pad} | ${' '.repeat(start - 1)}${paint(d.severity, '^'.repeat(caretLen))}`);
    }
  }
  // The fix belongs right under the caret; related notes (other places) follow it.
  if (d.help) out.push(`${paint('help', 'help')}: ${d.help}`);
  for (const r of d.related ?? []) {
    const rloc = r.span ? `${r.file ?? where}:${r.span.line}:${r.span.column}` : (r.file ?? where);
    out.push(`${rloc}: note: ${r.message}`);
  }
  return out.join('\n');
}
