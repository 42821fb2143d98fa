/**
 * The parser's entry point: `.model` text → AST + diagnostics. Never throws.
 *
 * Statements end at newlines, except where a line plainly goes on (after
 * `->` or `,`, inside open brackets; see ./logical-lines.ts). A file the lexer
 * read cleanly is first parsed whole, in one call of rule `file`: that is the
 * common case and by far the fastest. Only when that meets a syntax error is
 * the token stream parsed one statement at a time, so that a bad statement
 * yields one diagnostic and is left out of the AST while every good one still
 * yields its statement; a block's header, each statement inside it and its
 * closing `}` are statements of their own there. Both paths build the same
 * statements, since no decision of the grammar looks past a statement's end.
 */
import type { ILexingResult, IRecognitionException, IToken } from 'chevrotain';
import { error, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { BlockStmt, Comment, ModelFile, Statement } from './ast.js';
import { SYNTAX, tokenSpan } from './build-ast.js';
import { getParser } from './grammar.js';
import { lexErrorDiagnostics } from './lex-errors.js';
import { logicalLines, MAX_NESTING, statementsOf, type LogicalLines } from './logical-lines.js';
import { unpackMessage } from './messages.js';
import { Block, getLexer, LBrace, Newline, RBrace } from './tokens.js';

interface Parsed {
  statements: Statement[];
  diagnostics: Diagnostic[];
}

export function parse(source: string, cache?: ParseCache): { file: ModelFile; diagnostics: Diagnostic[] } {
  try {
    return parseSource(source, true, cache);
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
 * The statement-by-statement parse on its own, even for a file the whole-file
 * parse would read: `parse()` must give exactly what this gives, which the tests check.
 */
export function parseEachLine(source: string): { file: ModelFile; diagnostics: Diagnostic[] } {
  return parseSource(source, false);
}

function parseSource(source: string, wholeFirst = true, cache?: ParseCache): { file: ModelFile; diagnostics: Diagnostic[] } {
  const lexed = getLexer().tokenize(source);
  const lines = logicalLines(lexed.tokens);
  const clean = wholeFirst && lexed.errors.length === 0 && lines.tooDeep.size === 0;
  const whole = clean ? ((cache && cache.parse(lines.stream, source)) ?? parseWhole(lines.stream, source)) : undefined;
  const parsed = whole ?? parseLines(lexed, lines, source);
  const comments: Comment[] = (lexed.groups.comments ?? []).map(toComment);
  parsed.diagnostics.sort((a, b) => a.span!.line - b.span!.line || a.span!.column - b.span!.column);
  return { file: { statements: parsed.statements, comments }, diagnostics: parsed.diagnostics };
}

/** The whole token stream in one parse; undefined when it has a syntax error, which only the statement-by-statement parse reports well. */
function parseWhole(tokens: IToken[], source: string): Parsed | undefined {
  const { parser, messages } = getParser();
  messages.setLine(tokens);
  parser.startBuilding(tokens, source);
  let statements: Statement[];
  try {
    statements = parser.file();
  } catch {
    // Its messages are built for one statement at a time; whatever goes wrong here, the other parse says it properly.
    return undefined;
  }
  if (parser.errors.length > 0) return undefined;
  return { statements, diagnostics: parser.builder.diagnostics };
}

/**
 * What an editor's document parsed last time, statement by statement, so
 * that after an edit only the statements whose text changed are parsed again.
 * A statement's AST and diagnostics follow from its text and from where it
 * starts (every span is a line and column), so that pair is the key; a
 * block, header to `}`, is one statement here. Only texts that read cleanly
 * are cached: when one statement has a syntax error, `parse` takes its usual
 * course, so the result is always the one a fresh parse gives. The cached
 * statements are shared between parses and must not be changed by readers.
 */
export class ParseCache {
  private units = new Map<string, Parsed>();

  /** The parse of a clean `stream` (see `logicalLines`) from the cache and fresh parses of its new statements; undefined on a syntax error. */
  parse(stream: IToken[], source: string): Parsed | undefined {
    const previous = this.units;
    const units = new Map<string, Parsed>();
    const statements: Statement[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const unit of unitsOf(stream)) {
      const first = unit[0];
      const last = unit[unit.length - 1];
      const key = `${first.startLine}:${first.startColumn}:${source.slice(first.startOffset, last.endOffset! + 1)}`;
      const parsed = units.get(key) ?? previous.get(key) ?? parseWhole(unit, source);
      if (!parsed) return undefined;
      units.set(key, parsed);
      statements.push(...parsed.statements);
      diagnostics.push(...parsed.diagnostics);
    }
    this.units = units;
    return { statements, diagnostics };
  }
}

/** The statements of a stream, newlines dropped between them; a block from its header to its `}` (or to the end) is one, newlines kept inside. */
function unitsOf(stream: readonly IToken[]): IToken[][] {
  const units: IToken[][] = [];
  let unit: IToken[] = [];
  let inBlock = false;
  let lineStart = true;
  for (const t of stream) {
    const isNewline = t.tokenType === Newline;
    if (lineStart && !isNewline && t.tokenType === Block) inBlock = true;
    if (isNewline && !inBlock) {
      if (unit.length > 0) units.push(unit);
      unit = [];
    } else if (!(isNewline && unit.length === 0)) {
      // A block ends at a `}` that is a line of its own.
      if (inBlock && t.tokenType === RBrace && lineStart) inBlock = false;
      unit.push(t);
    }
    lineStart = isNewline;
  }
  if (unit.length > 0) units.push(unit);
  return units;
}

/**
 * A block whose header was read. `block` is undefined when the header had a
 * syntax error; `sound` is false when it had any mistake. Either way the
 * block's statements are still read, for their own mistakes.
 */
interface OpenBlock {
  header: IToken[];
  block?: BlockStmt;
  sound: boolean;
}

function parseLines(lexed: ILexingResult, { stream, tooDeep }: LogicalLines, source: string): Parsed {
  const diagnostics = lexErrorDiagnostics(lexed.errors, source);
  const linesWithLexErrors = new Set(diagnostics.map((d) => d.span!.line));

  const statements: Statement[] = [];
  const { parser, messages } = getParser();
  let open: OpenBlock | undefined;

  /** Parses one statement with `rule`; undefined when it has a syntax error or a mistake (reported). */
  const parseOne = <T>(line: IToken[], rule: () => T, accept: (result: T) => void = () => {}): T | undefined => {
    messages.setLine(line);
    parser.startBuilding(line, source);
    const result = rule();
    // A syntax error is the statement's one diagnostic: what was built before it says nothing more.
    if (parser.errors.length > 0) {
      diagnostics.push(syntaxErrorDiagnostic(parser.errors[0], line));
      return undefined;
    }
    accept(result);
    if (parser.builder.diagnostics.length > 0) {
      diagnostics.push(...parser.builder.diagnostics);
      return undefined;
    }
    return result;
  };

  for (const line of statementsOf(stream)) {
    if (line.length === 1 && line[0].tokenType === RBrace) {
      if (!open)
        diagnostics.push(
          error(SYNTAX, 'unexpected `}`: no block is open', tokenSpan(line[0]), 'a block is written `block NAME(params) {`, its statements one a line, then `}`'),
        );
      else if (open.block && open.sound) statements.push(parser.builder.endBlock(open.block, line[0]));
      open = undefined;
      continue;
    }
    const isHeader = line[0].tokenType === Block;
    if (isHeader && open) diagnostics.push(unclosedBlock(open.header));
    // A line the lexer could not read would only add a confusing second error.
    const readable = !line.some((t) => linesWithLexErrors.has(t.startLine!));
    const deep = line.find((t) => tooDeep.has(t));
    if (readable && deep) diagnostics.push(tooDeepDiagnostic(deep));
    const sound = readable && !deep;
    if (isHeader) {
      let block: BlockStmt | undefined;
      const header = sound ? parseOne(line, () => parser.blockHeader(), (b) => (block = b)) : undefined;
      // Without a `{` the header opened nothing: the lines below are read as top-level statements.
      open = line.some((t) => t.tokenType === LBrace) ? { header: line, block, sound: header !== undefined } : undefined;
      continue;
    }
    if (!sound) continue;
    if (open) {
      const block = open.block;
      parseOne(line, () => parser.statement(), (statement) => block && parser.builder.blockStatement(block, statement, 0));
      continue;
    }
    const statement = parseOne(line, () => parser.statement());
    if (statement) statements.push(statement);
  }
  if (open) diagnostics.push(unclosedBlock(open.header));
  return { statements, diagnostics };
}

function unclosedBlock(header: IToken[]): Diagnostic {
  const name = header[1]?.image ?? '';
  return error(
    SYNTAX,
    `block \`${name}\` is not closed: expected \`}\` on a line of its own after its last statement`,
    tokenSpan(header[0]),
    'a block is written `block NAME(params) {`, its statements one a line, then `}`',
  );
}

function tooDeepDiagnostic(at: IToken): Diagnostic {
  return error(
    SYNTAX,
    `lists, calls, maps and parentheses are nested more than ${MAX_NESTING} deep here`,
    tokenSpan(at),
    `mlc reads at most ${MAX_NESTING} levels of nesting in one statement; write the value flatter`,
  );
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
