/**
 * Syntax error messages that teach: what was expected, what was found, and
 * (after HELP_SEPARATOR) how to fix it. Chevrotain calls these builders with
 * the innermost rule it was in; the tokens of the line being parsed give the
 * rest of the context (e.g. the option key before a dangling `=`).
 */
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import { chevrotain } from './chevrotain.js';
import {
  Arrow,
  BadWord,
  Block,
  CallParen,
  Colon,
  Comma,
  Compile,
  Equals,
  Fit,
  Ident,
  Input,
  LBrace,
  LBracket,
  LParen,
  Model,
  Name,
  Operator,
  Output,
  RBrace,
  RBracket,
  RParen,
} from './tokens.js';

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

const COMMA_HELP = 'separate values with spaces; commas only go inside lists `[a, b]`, maps `{a: 1, b: 2}` and calls `f(a, b)`';
const BLOCK_EXAMPLE = 'e.g. `block residual(filters, stride=1) {`, its statements one a line, then `}`';
const ARITHMETIC_HELP = 'arithmetic is written `4*filters`, `filters/2`, `a+b`, `a-b` or `(a+b)*2`';
const CHAIN_HELP = 'e.g. `x = dense 10 relu` or `x = image -> conv 32 3`';

/** The brackets that make lists, calls, maps and parentheses, by their opening token. */
const BRACKETS = new Map<TokenType, { close: TokenType; what: string }>([
  [LBracket, { close: RBracket, what: 'list' }],
  [LParen, { close: RParen, what: 'call' }],
  [LBrace, { close: RBrace, what: 'map' }],
]);
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

  /** The innermost bracket of type `opener` still open before `t`. */
  private innermostOpen(t: IToken | undefined, opener: TokenType): IToken | undefined {
    const closer = BRACKETS.get(opener)!.close;
    const end = isEof(t) ? this.line.length : this.line.indexOf(t!);
    const open: IToken[] = [];
    for (let i = 0; i < end; i++) {
      if (is(this.line[i], opener)) open.push(this.line[i]);
      else if (is(this.line[i], closer)) open.pop();
    }
    return open.pop();
  }

  /**
   * "this list is not closed": at the end of a one-line statement it says so
   * as v1 did; when the statement went on over lines it names the line of the
   * bracket left open.
   */
  private notClosed(what: string, opener: TokenType, example: string, actual: IToken, subject = `this ${what}`): string {
    const open = this.innermostOpen(actual, opener);
    const close = `\`${BRACKETS.get(opener)!.close.LABEL!.slice(1, -1)}\``;
    let last = this.line.length - 1;
    while (last >= 0 && isEof(this.line[last])) last--;
    const lastLine = this.line[last]?.endLine;
    if (isEof(actual) && open && open.startLine === lastLine) return withHelp(`${subject} is not closed: expected ${close} before the end of line`, example);
    const where = open ? ` (opened on line ${open.startLine})` : '';
    return withHelp(`${subject}${where} is not closed: expected ${close}, found ${describe(actual)}`, example);
  }

  /** `input = ...`: a keyword where a tensor's name was meant; undefined when the line is not that. */
  private keywordAsName(): string | undefined {
    const [first, second] = this.line;
    if (!is(second, Equals) || !(is(first, Model) || is(first, Input) || is(first, Output) || is(first, Block) || is(first, Compile) || is(first, Fit)))
      return undefined;
    const word = first.image.toLowerCase();
    return withHelp(
      `\`${word}\` is a keyword and cannot name a tensor`,
      `pick another name, e.g. \`${word}_1 = ...\`; options \`key=value\` follow a layer kind, \`input\`, \`compile\` or \`fit\``,
      first,
    );
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
    const keyword = this.keywordAsName();
    if (keyword) return keyword;
    const found = describe(o.actual);
    switch (o.ruleName) {
      case 'modelStatement':
        return withHelp(`expected a model name after \`model\`, found ${found}`, 'a model name is one word, e.g. `model mnist_cnn`');
      case 'layer':
        return withHelp(
          `expected a layer after \`->\`, found ${found}`,
          is(o.actual, Input)
            ? '`input` can only head a chain, e.g. `input 784 -> dense 10`'
            : is(o.actual, Name) && !is(o.actual, BadWord)
              ? `\`${o.actual.image.toLowerCase()}\` is a statement of its own line; only layers are joined with \`->\``
              : 'e.g. `conv 32 3x3 relu -> maxpool 2`',
        );
      case 'keyValue': {
        const first = this.line[0];
        if (is(first, Compile) || is(first, Fit)) return this.sectionMessage(first, o.previous);
        return withHelp(`expected \`=\` after \`${o.previous.image}\`, found ${found}`, 'an option is written `key=value`', o.previous);
      }
      case 'list':
        return isEof(o.actual) || !is(o.actual, Comma)
          ? this.listMessage(o.actual)
          : withHelp(`expected \`,\` or \`]\` in the list, found ${found}`, 'a list is written `[a, b]`');
      case 'map': {
        const example = 'a map is written `{key: value, ...}`, e.g. `loss={cls: categorical_crossentropy, box: mse}`';
        if (!isEof(o.actual) && (is(o.previous, LBrace) || is(o.previous, Comma)))
          return withHelp(`expected a key in the map, found ${found}`, 'map keys are names, e.g. `{cls: mse, box: mae}`');
        if (!isEof(o.actual) && this.innermostOpen(o.actual, LBrace)?.startLine === o.actual.startLine)
          return withHelp(`expected \`,\` or \`}\` in the map, found ${found}`, example);
        return this.notClosed('map', LBrace, example, o.actual);
      }
      case 'mapEntry':
        if (o.expected === Colon)
          return withHelp(`expected \`:\` after the map key \`${o.previous.image}\`, found ${found}`, 'a map is written `{cls: mse, box: mae}`', o.actual);
        return withHelp(`expected a key in the map, found ${found}`, 'map keys are names, e.g. `{cls: mse, box: mae}`');
      case 'parenthesized':
        if (is(o.actual, Comma))
          return withHelp(
            'unexpected `(`',
            'sizes are written as dims, e.g. `3x3`; `(` only groups arithmetic such as `(a+b)*2` or opens a call such as `adam(lr=1e-4)`',
            this.innermostOpen(o.actual, LParen),
          );
        if (is(o.actual, Equals) && is(o.previous, Name))
          return withHelp(
            `unexpected \`=\` in parentheses`,
            'a call is written with its `(` right after the name, e.g. `adam(lr=1e-4)`; after a space `(` groups arithmetic',
            o.actual,
          );
        return this.notClosed('parenthesis', LParen, ARITHMETIC_HELP, o.actual, 'this `(`');
      case 'call': {
        const callee = this.openCallee(o.actual) ?? 'the call';
        return this.notClosed('call', LParen, 'arguments are separated by commas, e.g. `adam(lr=1e-4, beta_1=0.9)`', o.actual, `the call \`${callee}(\``);
      }
      case 'blockHeader':
        return this.blockHeaderMessage(o.expected, o.actual);
      case 'blockParam':
        return withHelp(`expected a parameter name, found ${found}`, "a block's parameters are names with optional defaults, e.g. `(filters, stride=1)`");
      case 'blockDefinition':
        return o.expected === RBrace
          ? withHelp(`expected \`}\` to close the block, found ${found}`, BLOCK_EXAMPLE)
          : withHelp(`a block's statements start on the line after \`{\`; found ${found}`, BLOCK_EXAMPLE, o.actual);
      default:
        return `expected ${o.expected.LABEL ?? o.expected.name}, found ${found}`;
    }
  }

  /** A list that ends without `]`, or with something other than `,` or `]` inside. */
  private listMessage(actual: IToken): string {
    if (!isEof(actual) && !is(actual, Comma) && this.innermostOpen(actual, LBracket)?.startLine === actual.startLine)
      return withHelp(`expected \`,\` or \`]\` in the list, found ${describe(actual)}`, 'a list is written `[a, b]`');
    return this.notClosed('list', LBracket, 'a list is written `[accuracy, mse]`; it may go on over several lines', actual);
  }

  private blockHeaderMessage(expected: TokenType, actual: IToken): string {
    const found = describe(actual);
    if (expected === LBrace) {
      if (is(actual, Name) && this.line.some((t) => is(t, LBrace)))
        return withHelp(`unexpected ${found} in the block header`, 'the header is `block NAME`, optional `[inputs]`, optional `(params)`, then `{`');
      return withHelp(`expected \`{\` at the end of the block header, found ${found}`, BLOCK_EXAMPLE);
    }
    if (expected === RParen) return withHelp(`expected \`,\` or \`)\` in the block's parameters, found ${found}`, "parameters are separated by commas, e.g. `(filters, stride=1)`");
    if (expected === RBracket) return withHelp(`expected \`,\` or \`]\` in the block's inputs, found ${found}`, 'inputs are names separated by commas, e.g. `block fuse[a, b](units) {`');
    if (expected === Ident && this.line.length > 1 && actual === this.line[1])
      return withHelp(`expected a block name after \`block\`, found ${found}`, BLOCK_EXAMPLE);
    return withHelp(`expected an input name, found ${found}`, 'inputs are names separated by commas, e.g. `block fuse[a, b](units) {`');
  }

  buildNoViableAltMessage(o: { actual: IToken[]; previous: IToken; ruleName: string }): string {
    const keyword = this.keywordAsName();
    if (keyword) return keyword;
    const actual = o.actual[0];
    const found = describe(actual);
    switch (o.ruleName) {
      case 'statement':
      case 'innerStatement':
        if (is(actual, RParen) || is(actual, RBracket) || is(actual, RBrace)) return unexpectedCloser(actual);
        if (is(actual, Arrow))
          return withHelp('a line cannot start with `->`', 'a line may end with `->` and go on with the next, e.g. `conv 32 3x3 relu -> maxpool 2`');
        return withHelp(
          `a layer line starts with a layer kind, e.g. \`dense 10 softmax\`; found ${found}`,
          'other lines start with a tensor name, `NAME =`, `model`, `input`, `output`, `block`, `compile` or `fit`',
        );
      case 'layerChain': {
        const target = this.line[0]?.image ?? '';
        return withHelp(
          `expected a chain after \`${target} =\`, found ${found}`,
          is(actual, Name) || isEof(actual)
            ? CHAIN_HELP
            : `\`NAME = CHAIN\` names a tensor, ${CHAIN_HELP.slice(0, 1).toLowerCase()}${CHAIN_HELP.slice(1)}; options \`key=value\` follow a layer kind, \`input\`, \`compile\` or \`fit\``,
        );
      }
      case 'shape':
        return withHelp(`\`input\` needs a shape like \`784\`, \`28x28x1\` or \`?x16\`, found ${found}`, 'e.g. `input 28x28x1`, or with a name, `input image 28x28x1`');
      case 'value':
      case 'atom':
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
    if (is(previous, Operator)) return withHelp(`expected a value after \`${previous.image}\`, found ${found}`, ARITHMETIC_HELP);
    if (is(previous, Colon))
      return withHelp(`expected a value after \`${this.before(previous)?.image ?? ''}:\` in the map, found ${found}`, 'a map is written `{cls: mse, box: mae}`');
    if (is(previous, LParen) && !is(previous, CallParen))
      return withHelp(`expected a value after \`(\`, found ${found}`, ARITHMETIC_HELP);
    if (is(previous, LBracket) || (is(previous, Comma) && this.openCallee(actual) === undefined))
      return withHelp(`expected a value in the list, found ${found}`, 'a list is written `[a, b]`');
    return `expected a value, found ${found}`;
  }

  buildNotAllInputParsedMessage(o: { firstRedundant: IToken; ruleName: string }): string {
    const keyword = this.keywordAsName();
    if (keyword) return keyword;
    const t = o.firstRedundant;
    const found = describe(t);
    const first = this.line[0];
    if (o.ruleName === 'blockHeader')
      return withHelp(`a block's statements start on the line after \`{\`; found ${found}`, BLOCK_EXAMPLE, t);
    if (is(t, RParen) || is(t, RBracket) || is(t, RBrace)) return unexpectedCloser(t);
    if (is(t, Comma)) {
      if (is(first, Output)) return withHelp('unexpected `,`', 'outputs are separated by spaces, e.g. `output cls box`');
      return withHelp('unexpected `,`', is(first, Input) ? 'a shape is written with x, e.g. `input 28x28x1`' : COMMA_HELP);
    }
    const before = this.before(t);
    if (is(t, LParen) && is(before, Name) && before!.endOffset! + 1 < t.startOffset)
      return withHelp('unexpected `(`', `a call's \`(\` goes right after its name, without a space: \`${before!.image}(\``, t);
    if (is(t, LParen))
      return withHelp('unexpected `(`', 'sizes are written as dims, e.g. `3x3`; `(` only opens a call such as `adam(lr=1e-4)` or groups arithmetic such as `(a+b)*2`');
    if (is(t, Colon)) return withHelp('unexpected `:`', 'options are written `key=value`, e.g. `strides=2`; `key: value` belongs in a map such as `{cls: mse}`');
    if (is(t, Operator)) return withHelp(`unexpected \`${t.image}\``, `${ARITHMETIC_HELP}, with a value on each side`);
    if (is(t, LBrace)) return withHelp('unexpected `{`', 'a map value follows `=`, e.g. `loss={cls: mse}`; a block starts with `block NAME(params) {`');
    if (is(t, Equals)) return withHelp('unexpected `=`', 'an option is written `key=value`, with one name before `=`');
    if (is(t, Arrow)) return withHelp(`only layers are joined with \`->\`; \`${first.image.toLowerCase()}\` is a line of its own`);
    if (is(first, Model))
      return withHelp(`a model name is one word; found ${found} after it`, 'join words with `_`, e.g. `model mnist_cnn`');
    if (is(first, Input))
      return withHelp(
        `unexpected ${found} in \`input\``,
        '`input` takes an optional name, a shape, an optional dtype (`float32` or `int32`) and options `key=value`, e.g. `input image 28x28x1`',
      );
    if (is(first, Output)) return withHelp(`unexpected ${found} in \`output\``, '`output` lists tensor names, e.g. `output cls box`');
    if (is(first, Compile) || is(first, Fit)) return this.sectionMessage(first, t);
    return withHelp(`unexpected ${found}`, 'expected the end of the line');
  }

  /** `compile adam`: a section line holds only options. */
  private sectionMessage(keyword: IToken, found: IToken): string {
    const section = keyword.image.toLowerCase();
    return withHelp(`\`${section}\` takes options \`key=value\`, found ${describe(found)}`, `e.g. \`${SECTION_EXAMPLE[section]}\``, found);
  }

  buildEarlyExitMessage(o: { actual: IToken[]; ruleName: string }): string {
    const keyword = this.keywordAsName();
    if (keyword) return keyword;
    const found = describe(o.actual[0]);
    if (o.ruleName === 'outputStatement')
      return withHelp(`\`output\` needs the names of the model's outputs, found ${found}`, 'e.g. `output cls box`, after `cls = ...` and `box = ...`');
    if (o.ruleName === 'blockHeader')
      return withHelp(
        `a block's \`[ ]\` lists its tensor inputs; found ${found}`,
        'e.g. `block fuse[a, b](units) {`; a block with one input leaves out the brackets and reads it as `in`',
      );
    return `unexpected ${found}`;
  }
}

function unexpectedCloser(t: IToken): string {
  if (is(t, RBrace))
    return withHelp('unexpected `}`', "a block's `}` stands on a line of its own; a map's `}` closes a `{` opened in the same statement");
  const opener = is(t, RParen) ? '(' : '[';
  return withHelp(`unexpected \`${t.image}\``, `there is no \`${opener}\` open before it in this statement`);
}
