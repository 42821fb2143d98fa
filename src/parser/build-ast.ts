/**
 * Building the AST while the parser reads the tokens (the grammar's actions
 * in ./grammar.ts call these), with a span on every node. Mistakes the grammar
 * lets through on purpose, so that they can be reported with a fix
 * (capitalised keywords, `10relu`, a positional value after an option), are
 * collected as diagnostics here; a statement with one is left out of the AST.
 */
import type { IToken } from 'chevrotain';
import { error, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type {
  ArithmeticOperator,
  BlockParam,
  BlockStmt,
  CallValue,
  IdentValue,
  InputStmt,
  LayerChain,
  LayerStmt,
  MapEntry,
  ModelStmt,
  NameNode,
  OptionNode,
  OutputStmt,
  SectionStmt,
  Statement,
  Value,
} from './ast.js';

export const SYNTAX = 'E-SYNTAX';

export function tokenSpan(t: IToken): Span {
  return { line: t.startLine!, column: t.startColumn!, endLine: t.endLine!, endColumn: t.endColumn! + 1 };
}

/** From the start of `first` to the end of `last`: the span of a node whose tokens these are. */
export function spanBetween(first: IToken, last: IToken): Span {
  return { line: first.startLine!, column: first.startColumn!, endLine: last.endLine!, endColumn: last.endColumn! + 1 };
}

/** From the start of span `a` to the end of span `b`. */
export function spanJoin(a: Span, b: Span): Span {
  return { line: a.line, column: a.column, endLine: b.endLine, endColumn: b.endColumn };
}

/** What a statement that belongs at top level is called in a message, and why it cannot stand in a block. */
const TOP_LEVEL_ONLY: Record<string, { what: string; help: string }> = {
  model: { what: '`model`', help: 'name the model once, at the top of the file' },
  input: {
    what: '`input`',
    help: "a block's tensor inputs are listed in its header, `block NAME[a, b](...)`; a block without them reads its one input as `in`",
  },
  output: { what: '`output`', help: "a block's output is the output of its last statement; `output` lists the model's outputs at top level" },
  compile: { what: '`compile`', help: 'move it below the block, at top level' },
  fit: { what: '`fit`', help: 'move it below the block, at top level' },
};

/** How tightly each operator binds (fmt uses it to put back only the parentheses that matter). */
export const PRECEDENCE: Record<ArithmeticOperator, number> = { '+': 1, '-': 1, '*': 2, '/': 2 };

/** An argument of a layer or call as parsed: an option (`key=value`) or a value. */
export type Argument = OptionNode | Value;

const isOption = (a: Argument): a is OptionNode => 'key' in a;

/** A Keras layer name with hyphens, `head-1`, `block1-conv-2`: words joined by `-` with no space. */
const HYPHENATED_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)+$/;

/**
 * `name=head-1` lexes as a subtraction; as the value of `name=` it is the
 * name Keras allows. Only there, and only written without spaces: a `-`
 * elsewhere (block arithmetic, `filters-1`) keeps its meaning, and a
 * subtraction as a name was an error before.
 */
function hyphenatedName(value: Value): Value {
  if (value.type !== 'expr' || !HYPHENATED_NAME.test(value.raw) || !onlySubtraction(value)) return value;
  return { type: 'ident', name: value.raw, raw: value.raw, span: value.span } satisfies IdentValue;
}

function onlySubtraction(v: Value): boolean {
  if (v.type === 'expr') return v.operator === '-' && onlySubtraction(v.left) && onlySubtraction(v.right);
  return v.type === 'ident' || v.type === 'int';
}

export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];
  /** Blocks whose header had no mistake: kept even when one of their statements had one. */
  private readonly soundBlocks = new Set<Statement>();
  /** Where each line starts in the source, computed on first use (only parentheses and arithmetic need it). */
  private lineStarts?: number[];

  constructor(private readonly source: string) {}

  private report(message: string, span: Span, help?: string): void {
    this.diagnostics.push(error(SYNTAX, message, span, help));
  }

  /** Keywords are lower case; the lexer accepts any case only so that this can say so. */
  checkLowerCase(t: IToken, what: string): void {
    const lower = t.image.toLowerCase();
    if (t.image !== lower) this.report(`${what} are lower case: did you mean \`${lower}\`?`, tokenSpan(t));
  }

  model(keyword: IToken, name: IToken): ModelStmt {
    this.checkLowerCase(keyword, 'keywords');
    return { type: 'model', name: name.image, nameSpan: tokenSpan(name), span: spanBetween(keyword, name) };
  }

  input(keyword: IToken, name: IToken | undefined, shape: IToken, dtype: IToken | undefined, options: OptionNode[], last: IToken): InputStmt {
    const stmt: InputStmt = { type: 'input', shape: this.scalar(shape), options, span: spanBetween(keyword, last) };
    if (name) stmt.name = this.name(name);
    if (dtype) stmt.dtype = this.identValue(dtype);
    return stmt;
  }

  name(t: IToken): NameNode {
    return { name: t.image, span: tokenSpan(t) };
  }

  output(keyword: IToken, names: NameNode[], last: IToken): OutputStmt {
    return { type: 'output', names, span: spanBetween(keyword, last) };
  }

  /** `x = CHAIN`; `x = input 784` alone is refused: an input is named in its own statement. */
  bind(target: IToken, bound: Statement): Statement {
    const name = this.name(target);
    if (bound.type === 'input') {
      this.report(
        `\`${target.image} =\` needs a chain; an input is named in its own statement`,
        spanJoin(name.span, bound.span),
        `write \`input ${target.image} ${bound.shape.raw}${bound.dtype ? ' ' + bound.dtype.raw : ''}\``,
      );
      return bound;
    }
    const chain = bound as LayerChain;
    chain.target = name;
    chain.span = spanJoin(name.span, chain.span);
    return chain;
  }

  section(keyword: IToken, options: OptionNode[], last: IToken): SectionStmt {
    return { type: keyword.image.toLowerCase() as 'compile' | 'fit', options, span: spanBetween(keyword, last) };
  }

  chain(target: NameNode | undefined, input: InputStmt | undefined, layers: LayerStmt[]): LayerChain {
    const first = target?.span ?? input?.span ?? layers[0].span;
    const chain: LayerChain = { type: 'chain', layers, span: spanJoin(first, layers[layers.length - 1].span) };
    if (target) chain.target = target;
    if (input) chain.input = input;
    return chain;
  }

  /** A block as soon as its header is read (`mark`: the diagnostics before it); its statements are added as they are parsed. */
  startBlock(
    keyword: IToken,
    name: IToken,
    inputs: NameNode[] | undefined,
    params: BlockParam[],
    open: IToken,
    mark: number,
  ): BlockStmt {
    const seen = new Map<string, NameNode>();
    for (const n of [...(inputs ?? []), ...params.map((p) => ({ name: p.name, span: p.nameSpan }))]) {
      if (seen.has(n.name))
        this.report(`\`${n.name}\` is declared twice in the header of block \`${name.image}\``, n.span, 'give each input and parameter its own name');
      seen.set(n.name, n);
    }
    let defaulted: BlockParam | undefined;
    for (const p of params) {
      if (p.default) defaulted = p;
      else if (defaulted)
        this.report(
          `parameter \`${p.name}\` has no default but comes after \`${defaulted.name}=\`, which has one`,
          p.span,
          'put the parameters without defaults first, e.g. `block residual(filters, stride=1)`',
        );
    }
    const openSpan = tokenSpan(open);
    const block: BlockStmt = {
      type: 'block',
      name: name.image,
      nameSpan: tokenSpan(name),
      params,
      body: [],
      openSpan,
      closeSpan: openSpan,
      span: spanBetween(keyword, open),
    };
    if (inputs) block.inputs = inputs;
    if (this.diagnostics.length === mark) this.soundBlocks.add(block);
    return block;
  }

  blockParam(name: IToken, value: Value | undefined, last: IToken): BlockParam {
    const param: BlockParam = { name: name.image, nameSpan: tokenSpan(name), span: spanBetween(name, last) };
    if (value) param.default = value;
    return param;
  }

  /**
   * Adds a statement to a block's body, unless building it found a mistake
   * (since `mark`) or it belongs at top level (said here).
   */
  blockStatement(block: BlockStmt, statement: Statement, mark: number): void {
    if (this.diagnostics.length > mark) return;
    const top = statement.type === 'chain' && statement.input ? TOP_LEVEL_ONLY.input : TOP_LEVEL_ONLY[statement.type];
    if (top) {
      this.report(`${top.what} belongs at the top level of the file, not inside block \`${block.name}\``, statement.span, top.help);
      return;
    }
    block.body.push(statement as LayerChain);
  }

  endBlock(block: BlockStmt, close: IToken): BlockStmt {
    block.closeSpan = tokenSpan(close);
    block.span = spanJoin(block.span, block.closeSpan);
    return block;
  }

  isSoundBlock(statement: Statement): boolean {
    return this.soundBlocks.has(statement);
  }

  /**
   * A layer as soon as its kind is read; its arguments are added as they are parsed, its span set at its end.
   * Whether the word is a layer kind (and `Dense` a capitalised one), a block or a tensor name is the lowering's to say.
   */
  startLayer(kind: IToken): LayerStmt {
    const kindSpan = tokenSpan(kind);
    return { type: 'layer', kind: kind.image, kindSpan, positional: [], options: [], span: kindSpan };
  }

  layerArgument(layer: LayerStmt, arg: Argument): void {
    if (isOption(arg)) {
      layer.options.push(arg);
      return;
    }
    const lastOption = layer.options[layer.options.length - 1];
    if (lastOption)
      this.report(
        `positional value \`${arg.raw}\` comes after the option \`${lastOption.key}=\``,
        arg.span,
        `positional values go before options, e.g. \`dense 10 relu use_bias=false\``,
      );
    layer.positional.push(arg);
  }

  endLayer(layer: LayerStmt, kind: IToken, last: IToken): LayerStmt {
    layer.span = spanBetween(kind, last);
    return layer;
  }

  option(key: IToken, value: Value, last: IToken): OptionNode {
    return { key: key.image, keySpan: tokenSpan(key), value: key.image === 'name' ? hyphenatedName(value) : value, span: spanBetween(key, last) };
  }

  list(open: IToken, items: Value[], close: IToken): Value {
    return { type: 'list', items, span: spanBetween(open, close), raw: this.raw(open, close) };
  }

  map(open: IToken, entries: MapEntry[], close: IToken): Value {
    return { type: 'map', entries, span: spanBetween(open, close), raw: this.raw(open, close) };
  }

  /** `a op b op c ...` as a tree: `*` and `/` before `+` and `-`, each level grouped to the left. */
  arithmetic(first: Value, rest: [IToken, Value][]): Value {
    const terms: Value[] = [];
    const sums: IToken[] = [];
    let term = first;
    for (const [operator, operand] of rest) {
      if (PRECEDENCE[operator.image as ArithmeticOperator] === 2) term = this.operation(operator, term, operand);
      else {
        terms.push(term);
        sums.push(operator);
        term = operand;
      }
    }
    terms.push(term);
    return sums.reduce((left, operator, i) => this.operation(operator, left, terms[i + 1]), terms[0]);
  }

  private operation(operator: IToken, left: Value, right: Value): Value {
    const span = spanJoin(left.span, right.span);
    return { type: 'expr', operator: operator.image as ArithmeticOperator, operatorSpan: tokenSpan(operator), left, right, span, raw: this.spanText(span) };
  }

  /** `(value)`: the value itself, its span widened to the parentheses. */
  parenthesized(open: IToken, inner: Value, close: IToken): Value {
    return { ...inner, span: spanBetween(open, close) };
  }

  /** A call as soon as its callee is read; its arguments are added as they are parsed. */
  startCall(callee: IToken): CallValue {
    const calleeSpan = tokenSpan(callee);
    return { type: 'call', callee: callee.image, calleeSpan, args: [], options: [], span: calleeSpan, raw: callee.image };
  }

  callArgument(call: CallValue, arg: Argument): void {
    if (isOption(arg)) {
      call.options.push(arg);
      return;
    }
    if (call.options.length > 0)
      this.report(
        `positional argument \`${arg.raw}\` comes after a keyword argument`,
        arg.span,
        'put positional arguments first, e.g. `sgd(0.01, momentum=0.9)`',
      );
    call.args.push(arg);
  }

  endCall(call: CallValue, callee: IToken, close: IToken): Value {
    call.span = spanBetween(callee, close);
    call.raw = this.raw(callee, close);
    return call;
  }

  /** A value made of one token. */
  scalar(t: IToken): Value {
    const span = tokenSpan(t);
    const raw = t.image;
    switch (t.tokenType.name) {
      case 'INT':
        return { type: 'int', value: Number(raw), span, raw };
      case 'FLOAT':
        return { type: 'float', value: Number(raw), span, raw };
      case 'DIMS':
        return { type: 'dims', dims: raw.split('x').map((d) => (d === '?' ? null : Number(d))), span, raw };
      case 'TRUE':
      case 'FALSE':
        this.checkLowerCase(t, 'booleans');
        return { type: 'bool', value: raw.toLowerCase() === 'true', span, raw };
      case 'BAD_WORD':
        this.badWord(t);
        return this.identValue(t);
      default:
        return this.identValue(t);
    }
  }

  private identValue(t: IToken): IdentValue {
    return { type: 'ident', name: t.image, span: tokenSpan(t), raw: t.image };
  }

  private badWord(t: IToken): void {
    const split = splitGluedWord(t.image);
    if (split)
      this.report(
        `\`${t.image}\` is not a valid value: a number must end before a letter`,
        tokenSpan(t),
        `did you mean \`${split[0]} ${split[1]}\`?`,
      );
    else
      this.report(
        `\`${t.image}\` is not a valid number or dims value`,
        tokenSpan(t),
        'numbers are written `10`, `-1`, `0.5`, `1e-4`; dims `5x5`, `28x28x1`, `?x16`',
      );
  }

  private raw(first: IToken, last: IToken): string {
    return this.source.slice(first.startOffset, last.endOffset! + 1);
  }

  private spanText(span: Span): string {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = this.source.indexOf('\n'); i >= 0; i = this.source.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    }
    return this.source.slice(this.lineStarts[span.line - 1] + span.column - 1, this.lineStarts[span.endLine - 1] + span.endColumn - 1);
  }
}

const NUMBER_OR_DIMS = /^(?:-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)|\?)(?:x(?:-?[0-9]+|\?))*$/;

/**
 * `10relu` → [`10`, `relu`]: a number or dims glued to a name, split where a
 * space was probably meant. Undefined when no such split reads naturally
 * (`5x` is an unfinished dims, `1e` an unfinished exponent).
 */
export function splitGluedWord(word: string): [string, string] | undefined {
  for (let i = word.length - 1; i > 0; i--) {
    const head = word.slice(0, i);
    const tail = word.slice(i);
    if (NUMBER_OR_DIMS.test(head) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(tail) && !/^(x|[eE][0-9]*$)/.test(tail)) return [head, tail];
  }
  return undefined;
}
