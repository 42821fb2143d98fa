/**
 * Characters the lexer cannot read, as diagnostics that name the character
 * (escaped when it is invisible) and, for the usual suspects pasted from a
 * web page or a Python script, say what to write instead.
 */
import type { ILexingError } from 'chevrotain';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { SYNTAX } from './build-ast.js';

const HINTS: Record<string, string> = {
  "'": 'values are written without quotes, e.g. `padding=same`',
  '"': 'values are written without quotes, e.g. `padding=same`',
  '\u2018': 'values are written without quotes, e.g. `padding=same`',
  '\u2019': 'values are written without quotes, e.g. `padding=same`',
  '\u201c': 'values are written without quotes, e.g. `padding=same`',
  '\u201d': 'values are written without quotes, e.g. `padding=same`',
  ';': 'write one statement per line',
  '>': 'layers are joined with `->`',
  '\u2192': 'layers are joined with `->`',
  '\u2013': 'layers are joined with `->`',
  '\u00d7': 'dims are written with the letter x, e.g. `5x5`',
  '\u00a0': 'this is a non-breaking space (often pasted from a web page); use a plain space',
  '\u200b': 'this is an invisible zero-width space; delete it',
};

/** The character at `offset`, whole even when it is outside the BMP; lone surrogates stay as they are. */
function charAt(source: string, offset: number): string {
  const code = source.codePointAt(offset);
  return code === undefined ? '' : String.fromCodePoint(code);
}

/** How a character is shown in a message: itself when printable ASCII or a letter, else its escape. */
export function showChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  const isLoneSurrogate = c.length === 1 && code >= 0xd800 && code <= 0xdfff;
  if (code < 0x20 || code === 0x7f || isLoneSurrogate || /\s|\p{Cf}/u.test(c)) {
    return '\\u' + code.toString(16).padStart(4, '0');
  }
  return c;
}

const QUOTES: Record<string, string> = { "'": "'", '"': '"', '\u2018': '\u2019', '\u201c': '\u201d' };

export function lexErrorDiagnostic(e: ILexingError, source: string): Diagnostic {
  const c = charAt(source, e.offset);
  const code = c.codePointAt(0) ?? 0;
  const line = e.line ?? 1;
  const column = e.column ?? 1;
  let length = Math.max(1, e.length);
  let help = HINTS[c] ?? (code > 0x7f ? 'only ASCII letters, digits and `_` may be used outside comments' : undefined);
  const closing = QUOTES[c];
  if (closing !== undefined) {
    // Point at the whole quoted value and show it unquoted.
    const end = source.indexOf(closing, e.offset + 1);
    const quoted = end < 0 ? '' : source.slice(e.offset + 1, end);
    if (end > 0 && /^[A-Za-z0-9_.\-]+$/.test(quoted)) {
      length = end + 1 - e.offset;
      help = `values are written without quotes: write \`${quoted}\``;
    }
  }
  return error(SYNTAX, `unexpected character \`${showChar(c)}\``, { line, column, endLine: line, endColumn: column + length }, help);
}

/** One diagnostic per line: after the first unreadable character, the rest of the line says little more. */
export function lexErrorDiagnostics(errors: readonly ILexingError[], source: string): Diagnostic[] {
  const seen = new Set<number>();
  const out: Diagnostic[] = [];
  for (const e of errors) {
    if (seen.has(e.line ?? 1)) continue;
    seen.add(e.line ?? 1);
    out.push(lexErrorDiagnostic(e, source));
  }
  return out;
}
