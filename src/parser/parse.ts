/**
 * The parser's entry point: `.model` text → AST + diagnostics. Never throws.
 *
 * Statements end at newlines, so the token stream is cut into lines and each
 * line is parsed on its own: a bad line yields one diagnostic and is left out
 * of the AST, and every good line still yields its statement.
 */
import type { IRecognitionException, IToken } from 'chevrotain';
import { error, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { Comment, ModelFile, Statement } from './ast.js';
import { AstBuilder, SYNTAX, tokenSpan } from './build-ast.js';
import { getParser } from './grammar.js';
import { lexErrorDiagnostics } from './lex-errors.js';
import { unpackMessage } from './messages.js';
import { getLexer, Newline } from './tokens.js';

export function parse(source: string): { file: ModelFile; diagnostics: Diagnostic[] } {
  try {
    return parseLines(source);
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

function parseLines(source: string): { file: ModelFile; diagnostics: Diagnostic[] } {
  const lexed = getLexer().tokenize(source);
  const diagnostics = lexErrorDiagnostics(lexed.errors, source);
  const linesWithLexErrors = new Set(diagnostics.map((d) => d.span!.line));

  const statements: Statement[] = [];
  const { parser, messages } = getParser();
  for (const line of splitLines(lexed.tokens)) {
    // A line the lexer could not read would only add a confusing second error.
    if (linesWithLexErrors.has(line[0].startLine!)) continue;
    messages.setLine(line);
    parser.input = line;
    const cst = parser.statement();
    if (parser.errors.length > 0) {
      diagnostics.push(syntaxErrorDiagnostic(parser.errors[0], line));
      continue;
    }
    const builder = new AstBuilder(source);
    const statement = builder.statement(cst);
    if (builder.diagnostics.length > 0) diagnostics.push(...builder.diagnostics);
    else statements.push(statement);
  }

  const comments: Comment[] = (lexed.groups.comments ?? []).map(toComment);
  diagnostics.sort((a, b) => a.span!.line - b.span!.line || a.span!.column - b.span!.column);
  return { file: { statements, comments }, diagnostics };
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
