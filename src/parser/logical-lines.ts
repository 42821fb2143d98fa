/**
 * Statements end at the end of a line, except where the line plainly goes on:
 * after `->`, after `,`, and inside an open `[ ]`, `( )` or map `{ }`. This
 * pass over the tokens drops the newlines that do not end a statement, so the
 * grammar itself only ever sees one statement a line, and cuts the stream into
 * statements for the line-by-line parse.
 *
 * A block's `{ }` holds statements, one a line: the `{` that ends a line
 * starting with `block` is not a map, and the newlines after it count.
 *
 * It also bounds nesting: the parser descends once per open bracket, so a
 * statement nested deeper than MAX_NESTING is reported here and never parsed.
 */
import type { IToken, TokenType } from 'chevrotain';
import { Arrow, Block, CallParen, Comma, Compile, Fit, Input, LBrace, LBracket, LParen, Model, Newline, Output, RBrace, RBracket, RParen } from './tokens.js';

/** The deepest nesting of lists, calls, maps and parentheses in one statement (documented in docs/language.md). */
export const MAX_NESTING = 64;

const CLOSER_OF = new Map<TokenType, TokenType>([
  [LParen, RParen],
  [LBracket, RBracket],
  [LBrace, RBrace],
]);

/**
 * Keywords that start a statement: a line starting with one ends an open
 * bracket's statement, so that a forgotten `]` costs its own statement only
 * and not the rest of the file.
 */
const STATEMENT_KEYWORDS = new Set<TokenType>([Model, Input, Output, Block, Compile, Fit]);

export interface LogicalLines {
  /** The whole stream with only the statement-ending newlines kept: what the whole-file parse reads. */
  stream: IToken[];
  /** The bracket that went deeper than MAX_NESTING, one per statement that did. */
  tooDeep: Set<IToken>;
}

export function logicalLines(tokens: readonly IToken[]): LogicalLines {
  const stream: IToken[] = [];
  const tooDeep = new Set<IToken>();
  /** The first token of the statement being read, and whether it already went too deep. */
  let first: IToken | undefined;
  let deep = false;
  const open: TokenType[] = [];
  let continues = false;

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const type = t.tokenType;
    if (type === Newline) {
      if (continues || open.length > 0) {
        let j = i + 1;
        while (j < tokens.length && tokens[j].tokenType === Newline) j++;
        const next = tokens[j];
        if (next !== undefined && (continues || !STATEMENT_KEYWORDS.has(next.tokenType))) {
          i = j - 1; // the blank lines between are dropped too
          continue;
        }
      }
      first = undefined;
      deep = false;
      open.length = 0;
      continues = false;
      stream.push(t);
      continue;
    }
    first ??= t;
    if (type === LParen || type === CallParen || type === LBracket || (type === LBrace && !(open.length === 0 && first.tokenType === Block && first !== t))) {
      open.push(CLOSER_OF.get(type === CallParen ? LParen : type)!);
      if (open.length > MAX_NESTING && !deep) {
        tooDeep.add(t);
        deep = true;
      }
    } else if (type === RParen || type === RBracket || type === RBrace) {
      const at = open.lastIndexOf(type);
      if (at >= 0) open.length = at;
    }
    continues = type === Arrow || type === Comma;
    stream.push(t);
  }
  return { stream, tooDeep };
}

/** The statements of a stream from `logicalLines`, newlines dropped: a block's header, each statement in it and its `}` are each one. */
export function statementsOf(stream: readonly IToken[]): IToken[][] {
  const lines: IToken[][] = [];
  let line: IToken[] = [];
  for (const t of stream) {
    if (t.tokenType !== Newline) line.push(t);
    else if (line.length > 0) {
      lines.push(line);
      line = [];
    }
  }
  if (line.length > 0) lines.push(line);
  return lines;
}
