/**
 * Syntax error messages that teach: what was expected, what was found, and
 * (after HELP_SEPARATOR) how to fix it. Chevrotain calls these builders with
 * the innermost rule it was in; the tokens of the line being parsed give the
 * rest of the context (e.g. the option key before a dangling `=`).
 */
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import { chevrotain } from './chevrotain.js';
import { Arrow, BadWord, Comma, Compile, Equals, Fit, Input, LBracket, LParen, Model, Name, RBracket, RParen } from './tokens.js';

/**
 * Chevrotain carries only a string from these builders to the error; this
 * packs the help text, and optionally a token to point at instead of the one
 * chevrotain stopped on, into that string.
 */
interface Packed {
  message: string;
  help?: string;
  /** startOffset of the token the diagnostic should point at. */
  at?: number;
}

function withHelp(message: string, help?: string, at?: IToken): string {
  return JSON.stringify({ message, help, at: at?.startOffset } satisfies Packed);
}

export function unpackMessage(text: string): Packed {
  try {
    const p = JSON.parse(text) as Packed;
    if (typeof p.message === 'string') return p;
  } catch {
    // a message chevrotain built itself
  }
  return { message: text };
}

const { EOF, tokenMatcher } = chevrotain;

const isEof = (t: IToken | undefined): boolean => t === undefined || t.tokenType === EOF;
const is = (t: IToken | undefined, type: TokenType): boolean => t !== undefined && !isEof(t) && tokenMatcher(t, type);

/** How a token is named in a message: `relu`, or "end of line". */
export function describe(t: IToken | undefined): string {
  return isEof(t) ? 'end of line' : `\`${t!.image}\``;
}

const COMMA_HELP = 'separate values with spaces; commas only go inside lists `[a, b]` and calls `f(a, b)`';
/** Typical values for common option keys, so the help for a dangling `key=` shows a real value. */
const OPTION_EXAMPLE: Record<string, string> = {
  loss: 'categorical_crossentropy',
  optimizer: 'adam(lr=1e-3)',
  metrics: '[accuracy]',
  activation: 'relu',
  padding: 'same',
  strides: '2',
  stride: '2',
  epochs: '5',
  batch: '32',
  batch_size: '32',
  validation_split: '0.1',
  name: 'my_layer',
  return_sequences: 'true',
  use_bias: 'false',
  merge_mode: 'concat',
  lr: '1e-3',
  learning_rate: '1e-3',
};

const SECTION_EXAMPLE: Record<string, string> = {
  compile: 'compile loss=categorical_crossentropy optimizer=adam metrics=[accuracy]',
  fit: 'fit epochs=5 batch=32',
};

export class SyntaxMessages implements IParserErrorMessageProvider {
  /** The tokens of the line being parsed. */
  private line: IToken[] = [];

  setLine(tokens: IToken[]): void {
    this.line = tokens;
  }

  private before(t: IToken, steps = 1): IToken | undefined {
    const at = this.line.indexOf(t);
    return at - steps >= 0 ? this.line[at - steps] : undefined;
  }

  /** The callee of the innermost call still open before `t`, e.g. `adam` in `adam(lr=1e-4`. */
  private openCallee(t: IToken | undefined): string | undefined {
    const end = isEof(t) ? this.line.length : this.line.indexOf(t!);
    const open: number[] = [];
    for (let i = 0; i < end; i++) {
      if (is(this.line[i], LParen)) open.push(i);
      else if (is(this.line[i], RParen)) open.pop();
    }
    const at = open.pop();
    return at !== undefined && at > 0 ? this.line[at - 1].image : undefined;
  }

  buildMismatchTokenMessage(o: { expected: TokenType; actual: IToken; previous: IToken; ruleName: string }): string {
    const found = describe(o.actual);
    switch (o.ruleName) {
      case 'modelStatement':
        return withHelp(`expected a model name after \`model\`, found ${found}`, 'a model name is one word, e.g. `model mnist_cnn`');
      case 'layer':
        return withHelp(
          `expected a layer after \`->\`, found ${found}`,
          is(o.actual, Name) && !is(o.actual, BadWord)
            ? `\`${o.actual.image.toLowerCase()}\` is a statement of its own line; only layers are joined with \`->\``
            : 'e.g. `conv 32 3x3 relu -> maxpool 2`',
        );
      case 'keyValue': {
        const first = this.line[0];
        if (is(first, Compile) || is(first, Fit)) return this.sectionMessage(first, o.previous);
        return withHelp(`expected \`=\` after \`${o.previous.image}\`, found ${found}`, 'an option is written `key=value`', o.previous);
      }
      case 'list':
        return isEof(o.actual)
          ? withHelp(
              'this list is not closed: expected `]` before the end of line',
              'a list is written on one line, e.g. `[accuracy, mse]`',
            )
          : withHelp(`expected \`,\` or \`]\` in the list, found ${found}`, 'a list is written `[a, b]`');
      case 'call': {
        const callee = this.openCallee(o.actual) ?? 'the call';
        return isEof(o.actual)
          ? withHelp(`the call \`${callee}(\` is not closed: expected \`)\` before the end of line`, 'e.g. `adam(lr=1e-4)`')
          : withHelp(
              `expected \`,\` or \`)\` in the call \`${callee}(\`, found ${found}`,
              'arguments are separated by commas, e.g. `adam(lr=1e-4, beta_1=0.9)`',
            );
      }
      default:
        return `expected ${o.expected.LABEL ?? o.expected.name}, found ${found}`;
    }
  }

  buildNoViableAltMessage(o: { actual: IToken[]; previous: IToken; ruleName: string }): string {
    const actual = o.actual[0];
    const found = describe(actual);
    switch (o.ruleName) {
      case 'statement':
        if (is(actual, RParen) || is(actual, RBracket)) return unexpectedCloser(actual);
        if (is(actual, Arrow))
          return withHelp('a line cannot start with `->`', 'join layers on one line, e.g. `conv 32 3x3 relu -> maxpool 2`');
        return withHelp(
          `a layer line starts with a layer kind, e.g. \`dense 10 softmax\`; found ${found}`,
          'other lines start with `model`, `input`, `compile` or `fit`',
        );
      case 'shape':
        return withHelp(`\`input\` needs a shape like \`784\`, \`28x28x1\` or \`?x16\`, found ${found}`, 'e.g. `input 28x28x1`');
      case 'value':
      case 'argument':
        return this.missingValue(o.previous, actual);
      default:
        return `unexpected ${found}`;
    }
  }

  private missingValue(previous: IToken, actual: IToken): string {
    const found = describe(actual);
    if (is(previous, Equals)) {
      const key = this.before(previous)?.image ?? '';
      const help = Object.hasOwn(OPTION_EXAMPLE, key)
        ? `e.g. \`${key}=${OPTION_EXAMPLE[key]}\``
        : 'a value is a number, a name, dims like `3x3`, a list `[a, b]` or a call `adam(lr=1e-4)`';
      return withHelp(`expected a value after \`=\` in option \`${key}=\`, found ${found}`, help);
    }
    if (is(previous, LBracket) || (is(previous, Comma) && this.openCallee(actual) === undefined))
      return withHelp(`expected a value in the list, found ${found}`, 'a list is written `[a, b]`');
    return `expected a value, found ${found}`;
  }

  buildNotAllInputParsedMessage(o: { firstRedundant: IToken; ruleName: string }): string {
    const t = o.firstRedundant;
    const found = describe(t);
    const first = this.line[0];
    if (is(t, RParen) || is(t, RBracket)) return unexpectedCloser(t);
    if (is(t, Comma)) return withHelp('unexpected `,`', is(first, Input) ? 'a shape is written with x, e.g. `input 28x28x1`' : COMMA_HELP);
    if (is(t, LParen))
      return withHelp('unexpected `(`', 'sizes are written as dims, e.g. `3x3`; `(` only opens a call such as `adam(lr=1e-4)`');
    if (is(t, Equals) && this.line[1] === t)
      return withHelp(
        `a line cannot start with the option \`${first.image}=\``,
        'options follow a layer kind, `input`, `compile` or `fit`, e.g. `compile metrics=[accuracy]`',
        first,
      );
    if (is(t, Equals)) return withHelp('unexpected `=`', 'an option is written `key=value`, with one name before `=`');
    if (is(t, Arrow)) return withHelp(`only layers are joined with \`->\`; \`${first.image.toLowerCase()}\` is a line of its own`);
    if (is(first, Model))
      return withHelp(`a model name is one word; found ${found} after it`, 'join words with `_`, e.g. `model mnist_cnn`');
    if (is(first, Input))
      return withHelp(
        `unexpected ${found} in \`input\``,
        '`input` takes a shape, an optional dtype (`float32` or `int32`) and options `key=value`, e.g. `input 28x28x1`',
      );
    if (is(first, Compile) || is(first, Fit)) return this.sectionMessage(first, t);
    return withHelp(`unexpected ${found}`, 'expected the end of the line');
  }

  /** `compile adam`: a section line holds only options. */
  private sectionMessage(keyword: IToken, found: IToken): string {
    const section = keyword.image.toLowerCase();
    return withHelp(`\`${section}\` takes options \`key=value\`, found ${describe(found)}`, `e.g. \`${SECTION_EXAMPLE[section]}\``, found);
  }

  buildEarlyExitMessage(o: { actual: IToken[]; ruleName: string }): string {
    return `unexpected ${describe(o.actual[0])}`;
  }
}

function unexpectedCloser(t: IToken): string {
  const opener = is(t, RParen) ? '(' : '[';
  return withHelp(`unexpected \`${t.image}\``, `there is no \`${opener}\` open before it on this line`);
}
