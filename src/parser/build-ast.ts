/**
 * Building the AST while the parser reads the tokens (the grammar's actions
 * in ./grammar.ts call these), with a span on every node. Mistakes the grammar
 * lets through on purpose, so that they can be reported with a fix
 * (capitalised keywords, `10relu`, a positional value after an option), are
 * collected as diagnostics here; a statement with one is left out of the AST.
 */
import type { IToken } from 'chevrotain';
import { error, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { CallValue, IdentValue, InputStmt, LayerChain, LayerStmt, ModelStmt, OptionNode, SectionStmt, Value } from './ast.js';

export const SYNTAX = 'E-SYNTAX';

export function tokenSpan(t: IToken): Span {
  return { line: t.startLine!, column: t.startColumn!, endLine: t.endLine!, endColumn: t.endColumn! + 1 };
}

/** From the start of `first` to the end of `last`: the span of a node whose tokens these are. */
export function spanBetween(first: IToken, last: IToken): Span {
  return { line: first.startLine!, column: first.startColumn!, endLine: last.endLine!, endColumn: last.endColumn! + 1 };
}

/** An argument of a layer or call as parsed: an option (`key=value`) or a value. */
export type Argument = OptionNode | Value;

const isOption = (a: Argument): a is OptionNode => 'key' in a;

export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];

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

  input(keyword: IToken, shape: IToken, dtype: IToken | undefined, options: OptionNode[], last: IToken): InputStmt {
    const stmt: InputStmt = { type: 'input', shape: this.scalar(shape), options, span: spanBetween(keyword, last) };
    if (dtype) stmt.dtype = this.identValue(dtype);
    return stmt;
  }

  section(keyword: IToken, options: OptionNode[], last: IToken): SectionStmt {
    return { type: keyword.image.toLowerCase() as 'compile' | 'fit', options, span: spanBetween(keyword, last) };
  }

  chain(layers: LayerStmt[]): LayerChain {
    const first = layers[0].span;
    const last = layers[layers.length - 1].span;
    return { type: 'chain', layers, span: { line: first.line, column: first.column, endLine: last.endLine, endColumn: last.endColumn } };
  }

  /** A layer as soon as its kind is read; its arguments are added as they are parsed, its span set at its end. */
  startLayer(kind: IToken): LayerStmt {
    const lower = kind.image.toLowerCase();
    if (kind.image !== lower)
      this.report(
        `layer kinds are lower case: did you mean \`${lower}\`?`,
        tokenSpan(kind),
        'Keras class names like `Dense` are written `dense`',
      );
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
    return { key: key.image, keySpan: tokenSpan(key), value, span: spanBetween(key, last) };
  }

  list(open: IToken, items: Value[], close: IToken): Value {
    return { type: 'list', items, span: spanBetween(open, close), raw: this.raw(open, close) };
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
