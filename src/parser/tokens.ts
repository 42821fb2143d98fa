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

/** The arithmetic operators of values (`4*filters`, `a+b`), one category so that the grammar reads any of them in one step. */
export const Operator = createToken({ name: 'OPERATOR', pattern: Lexer.NA, label: 'operator' });
export const Plus = createToken({ name: 'PLUS', pattern: /\+/, categories: [Operator], label: '`+`' });
export const Star = createToken({ name: 'STAR', pattern: /\*/, categories: [Operator], label: '`*`' });
export const Slash = createToken({ name: 'SLASH', pattern: /\//, categories: [Operator], label: '`/`' });

/** A character that can end an operand (a name, a number, `?`, a closing bracket), so that a `-` right after it subtracts (`filters-1`). */
const OPERAND_END = /[A-Za-z0-9_?)\]}]/;
const NUMBER_START = /[0-9.?]/;
/**
 * `-` as subtraction. A `-` glued to the operand before it subtracts
 * (`filters-1`, `(a+b)-1`), and so does a `-` that no number follows
 * (`a - b`); otherwise it is a number's sign, as in v1 (`reshape 4 -1` is
 * two values, `strides=-1` one). Written as a custom pattern because a
 * regular expression cannot look at the character before the match.
 */
export const Minus = createToken({
  name: 'MINUS',
  pattern: {
    exec: (text: string, offset: number) => {
      if (text.charCodeAt(offset) !== 45 /* - */) return null;
      const next = text[offset + 1] ?? '';
      if (next === '>') return null;
      const glued = offset > 0 && OPERAND_END.test(text[offset - 1]);
      return glued || !NUMBER_START.test(next) ? ['-'] : null;
    },
  },
  start_chars_hint: ['-'],
  line_breaks: false,
  categories: [Operator],
  label: '`-`',
});

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
export const Output = keyword('output');
export const Block = keyword('block');
export const True = keyword('true', []);
export const False = keyword('false', []);

export const Equals = createToken({ name: 'EQUALS', pattern: /=/, label: '`=`' });
export const Comma = createToken({ name: 'COMMA', pattern: /,/, label: '`,`' });
export const LParen = createToken({ name: 'LPAREN', pattern: /\(/, label: '`(`' });
/**
 * A `(` glued to the name before it opens a call (`adam(lr=1e-4)`); after a
 * space it groups arithmetic (`conv filters (k+1)` is two values). It is also
 * an LParen, so that wherever a plain `(` is read this one is too.
 */
export const CallParen = createToken({
  name: 'CALL_LPAREN',
  pattern: {
    exec: (text: string, offset: number) =>
      text.charCodeAt(offset) === 40 /* ( */ && offset > 0 && /[A-Za-z0-9_]/.test(text[offset - 1]) ? ['('] : null,
  },
  start_chars_hint: ['('],
  line_breaks: false,
  categories: [LParen],
  label: '`(`',
});
export const RParen = createToken({ name: 'RPAREN', pattern: /\)/, label: '`)`' });
export const LBracket = createToken({ name: 'LBRACKET', pattern: /\[/, label: '`[`' });
export const RBracket = createToken({ name: 'RBRACKET', pattern: /]/, label: '`]`' });
/** `{` opens a map value (`{cls: mse}`) or, at the end of a block header, a block's statements. */
export const LBrace = createToken({ name: 'LBRACE', pattern: /\{/, label: '`{`' });
export const RBrace = createToken({ name: 'RBRACE', pattern: /}/, label: '`}`' });
export const Colon = createToken({ name: 'COLON', pattern: /:/, label: '`:`' });

/** In lexing order: the first pattern that matches wins. */
export const ALL_TOKENS: TokenType[] = [
  Newline,
  WhiteSpace,
  Comment,
  Arrow,
  Minus,
  Plus,
  Star,
  Slash,
  Operator,
  Dims,
  Float,
  Int,
  BadWord,
  Model,
  Input,
  Compile,
  Fit,
  Output,
  Block,
  True,
  False,
  Ident,
  Name,
  Equals,
  Comma,
  CallParen,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Colon,
];

/** The statement keywords, lower case, for "did you mean" messages. */
export const KEYWORDS: readonly string[] = ['model', 'input', 'output', 'block', 'compile', 'fit'];

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
