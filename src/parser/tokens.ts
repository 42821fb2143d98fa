/**
 * The tokens of the `.model` language and its lexer.
 *
 * Numbers and dims refuse to run straight into letters (`5x5relu`, `10relu`):
 * such a run lexes as one BadWord, which the parser reports with a fix,
 * instead of silently splitting it into two tokens.
 */
import type { Lexer as LexerType, TokenType } from 'chevrotain';
import { chevrotain } from './chevrotain.js';

const { createToken, Lexer } = chevrotain;

/** Anything that is written like a name: identifiers and the statement keywords. */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA });

export const Newline = createToken({ name: 'NEWLINE', pattern: /\r?\n/, line_breaks: true, label: 'end of line' });
// A lone `\r` (and a byte-order mark) counts as blank space, so that line numbers
// agree with the diagnostic renderer, which splits lines on `\r?\n`.
export const WhiteSpace = createToken({ name: 'WHITESPACE', pattern: /[ \t\r\f\v\uFEFF]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'COMMENT', pattern: /#[^\n]*/, group: 'comments' });

export const Arrow = createToken({ name: 'ARROW', pattern: /->/, label: '`->`' });

// Numbers may not be followed by a name character, `.` or `?`: see BadWord.
const NUM_END = '(?![A-Za-z0-9_.?])';
export const Dims = createToken({
  name: 'DIMS',
  pattern: new RegExp(`(?:-?[0-9]+|\\?)(?:x(?:-?[0-9]+|\\?))+${NUM_END}|\\?${NUM_END}`),
  label: 'dims',
});
export const Float = createToken({
  name: 'FLOAT',
  pattern: new RegExp(`-?(?:(?:[0-9]+\\.[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+)${NUM_END}`),
  label: 'float',
});
export const Int = createToken({ name: 'INT', pattern: new RegExp(`-?[0-9]+${NUM_END}`), label: 'integer' });
/** A run that starts like a number but is not one (`10relu`, `1.2.3`, `5x`); always an error. */
export const BadWord = createToken({ name: 'BAD_WORD', pattern: /-?[0-9.?][A-Za-z0-9_.?]*/, label: 'malformed value' });

export const Ident = createToken({ name: 'IDENT', pattern: /[A-Za-z_][A-Za-z0-9_]*/, categories: [Name], label: 'name' });

// Keywords are matched case-insensitively so that `Model` or `True` reach the
// parser as the keyword it meant, which then asks for the lower-case spelling.
function keyword(word: string, categories: TokenType[] = [Name]): TokenType {
  return createToken({
    name: word.toUpperCase(),
    pattern: new RegExp(word, 'i'),
    longer_alt: Ident,
    categories,
    label: `\`${word}\``,
  });
}
export const Model = keyword('model');
export const Input = keyword('input');
export const Compile = keyword('compile');
export const Fit = keyword('fit');
export const True = keyword('true', []);
export const False = keyword('false', []);

export const Equals = createToken({ name: 'EQUALS', pattern: /=/, label: '`=`' });
export const Comma = createToken({ name: 'COMMA', pattern: /,/, label: '`,`' });
export const LParen = createToken({ name: 'LPAREN', pattern: /\(/, label: '`(`' });
export const RParen = createToken({ name: 'RPAREN', pattern: /\)/, label: '`)`' });
export const LBracket = createToken({ name: 'LBRACKET', pattern: /\[/, label: '`[`' });
export const RBracket = createToken({ name: 'RBRACKET', pattern: /]/, label: '`]`' });

/** In lexing order: the first pattern that matches wins. */
export const ALL_TOKENS: TokenType[] = [
  Newline,
  WhiteSpace,
  Comment,
  Arrow,
  Dims,
  Float,
  Int,
  BadWord,
  Model,
  Input,
  Compile,
  Fit,
  True,
  False,
  Ident,
  Name,
  Equals,
  Comma,
  LParen,
  RParen,
  LBracket,
  RBracket,
];

/** The statement keywords, lower case, for "did you mean" messages. */
export const KEYWORDS: readonly string[] = ['model', 'input', 'compile', 'fit'];

/**
 * A lexer for the tokens above. Its definition checks (unreachable or
 * anchored patterns...) cost a noticeable part of a short `mlc check`, so the
 * one `getLexer()` uses skips them; the tests build one with them on.
 */
export function createLexer(opts: { skipValidations?: boolean } = {}): LexerType {
  return new Lexer(ALL_TOKENS, {
    positionTracking: 'full',
    // Count only `\n` as a line break (`\r\n` included), never a lone `\r`.
    lineTerminatorsPattern: /\n/g,
    lineTerminatorCharacters: ['\n'],
    ensureOptimizations: true,
    skipValidations: opts.skipValidations ?? false,
  });
}

let lexer: LexerType | undefined;

/** The lexer, built on first use (building it analyses every pattern). */
export function getLexer(): LexerType {
  lexer ??= createLexer({ skipValidations: true });
  return lexer;
}
