/**
 * The parser's entry point: `.model` text → AST + diagnostics. Never throws.
 *
 * Statements end at newlines. A file the lexer read cleanly is first parsed
 * whole, in one call of rule `file`: that is the common case and by far the
 * fastest. Only when that meets a syntax error is the token stream cut into
 * lines and each line parsed on its own, so that a bad line yields one
 * diagnostic and is left out of the AST while every good line still yields
 * its statement. Both paths build the same statements, since no statement
 * spans a newline and no decision of the grammar looks past one.
 */
import type { ILexingResult, IRecognitionException, IToken } from 'chevrotain';
import { error, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { Comment, ModelFile, Statement } from './ast.js';
import { SYNTAX, tokenSpan } from './build-ast.js';
import { getParser } from './grammar.js';
import { lexErrorDiagnostics } from './lex-errors.js';
import { unpackMessage } from './messages.js';
import { getLexer, Newline } from './tokens.js';

interface Parsed {
  statements: Statement[];
  diagnostics: Diagnostic[];
}

export function parse(source: string): { file: ModelFile; diagnostics: Diagnostic[] } {
  try {
    return parseSource(source);
  } catch (e) {
    // A bug in the parser must still reach the user as one readable line.
    const why = e instanceof Error ? e.message : String(e);
    return {
      file: { statements: [], comments: [] },
      diagnostics: [
        error('E-INTERNAL', `the parser failed unexpectedly (${why.split('\n')[0]})`, undefined, 'please report this with the file'),
      ],
    };
  }
}

/**
 * The line-by-line parse on its own, even for a file the whole-file parse
 * would read: `parse()` must give exactly what this gives, which the tests check.
 */
export function parseEachLine(source: string): { file: ModelFile; diagnostics: Diagnostic[] } {
  return parseSource(source, false);
}

function parseSource(source: string, wholeFirst = true): { file: ModelFile; diagnostics: Diagnostic[] } {
  const lexed = getLexer().tokenize(source);
  const whole = wholeFirst && lexed.errors.length === 0 ? parseWhole(lexed.tokens, source) : undefined;
  const parsed = whole ?? parseLines(lexed, source);
  const comments: Comment[] = (lexed.groups.comments ?? []).map(toComment);
  parsed.diagnostics.sort((a, b) => a.span!.line - b.span!.line || a.span!.column - b.span!.column);
  return { file: { statements: parsed.statements, comments }, diagnostics: parsed.diagnostics };
}

/** The whole token stream in one parse; undefined when it has a syntax error, which only the line-by-line parse reports well. */
function parseWhole(tokens: IToken[], source: string): Parsed | undefined {
  const { parser, messages } = getParser();
  messages.setLine(tokens);
  parser.startBuilding(tokens, source);
  let statements: Statement[];
  try {
    statements = parser.file();
  } catch {
    // Its messages are built for one line at a time; whatever goes wrong here, the line-by-line parse says it properly.
    return undefined;
  }
  if (parser.errors.length > 0) return undefined;
  return { statements, diagnostics: parser.builder.diagnostics };
}

function parseLines(lexed: ILexingResult, source: string): Parsed {
  const diagnostics = lexErrorDiagnostics(lexed.errors, source);
  const linesWithLexErrors = new Set(diagnostics.map((d) => d.span!.line));

  const statements: Statement[] = [];
  const { parser, messages } = getParser();
  for (const line of splitLines(lexed.tokens)) {
    // A line the lexer could not read would only add a confusing second error.
    if (linesWithLexErrors.has(line[0].startLine!)) continue;
    messages.setLine(line);
    parser.startBuilding(line, source);
    const statement = parser.statement();
    // A syntax error is the line's one diagnostic: what was built before it says nothing more.
    if (parser.errors.length > 0) diagnostics.push(syntaxErrorDiagnostic(parser.errors[0], line));
    else if (parser.builder.diagnostics.length > 0) diagnostics.push(...parser.builder.diagnostics);
    else statements.push(statement);
  }
  return { statements, diagnostics };
}

/** The non-empty lines of a token stream, newlines dropped. */
function splitLines(tokens: IToken[]): IToken[][] {
  const lines: IToken[][] = [];
  let current: IToken[] = [];
  for (const t of tokens) {
    if (t.tokenType === Newline) {
      if (current.length > 0) lines.push(current);
      current = [];
    } else current.push(t);
  }
  if (current.length > 0) lines.push(current);
  return lines;
}

function syntaxErrorDiagnostic(e: IRecognitionException, line: IToken[]): Diagnostic {
  const { message, help, at } = unpackMessage(e.message);
  const pointAt = line.find((t) => t.startOffset === at) ?? e.token;
  return error(SYNTAX, message, errorSpan(pointAt, line), help);
}

/** Under the offending token, or just after the last token when the line ended too early. */
function errorSpan(t: IToken, line: IToken[]): Span {
  if (Number.isFinite(t.startOffset) && t.startLine !== undefined && !Number.isNaN(t.startLine)) return tokenSpan(t);
  const last = tokenSpan(line[line.length - 1]);
  return { line: last.endLine, column: last.endColumn, endLine: last.endLine, endColumn: last.endColumn + 1 };
}

function toComment(t: IToken): Comment {
  // A CRLF file leaves the `\r` in the comment token; it is not part of the text.
  const text = t.image.slice(1).replace(/\r$/, '');
  const span = tokenSpan(t);
  return { text, span: { ...span, endColumn: span.column + 1 + text.length } };
}
