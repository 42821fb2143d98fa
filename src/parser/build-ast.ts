/**
 * Turns the CST of one statement into its AST node, with a span on every
 * node. Mistakes the grammar lets through on purpose, so that they can be
 * reported with a fix (capitalised keywords, `10relu`, a positional value
 * after an option), are collected as diagnostics here.
 */
import type { CstNode, IToken } from 'chevrotain';
import { error, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { IdentValue, InputStmt, LayerChain, LayerStmt, OptionNode, SectionStmt, Statement, Value } from './ast.js';

export const SYNTAX = 'E-SYNTAX';

export function tokenSpan(t: IToken): Span {
  return { line: t.startLine!, column: t.startColumn!, endLine: t.endLine!, endColumn: t.endColumn! + 1 };
}

function nodeSpan(n: CstNode): Span {
  const l = n.location!;
  return { line: l.startLine!, column: l.startColumn!, endLine: l.endLine!, endColumn: l.endColumn! + 1 };
}

const tokens = (n: CstNode, key: string): IToken[] => (n.children[key] as IToken[] | undefined) ?? [];
const nodes = (n: CstNode, key: string): CstNode[] => (n.children[key] as CstNode[] | undefined) ?? [];
const token = (n: CstNode, key: string): IToken | undefined => tokens(n, key)[0];

export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly source: string) {}

  private report(message: string, span: Span, help?: string): void {
    this.diagnostics.push(error(SYNTAX, message, span, help));
  }

  /** Keywords are lower case; the lexer accepts any case only so that this can say so. */
  private checkLowerCase(t: IToken, what: string): void {
    const lower = t.image.toLowerCase();
    if (t.image !== lower) this.report(`${what} are lower case: did you mean \`${lower}\`?`, tokenSpan(t));
  }

  statement(cst: CstNode): Statement {
    const [child] = Object.values(cst.children).flat() as CstNode[];
    switch (child.name) {
      case 'modelStatement': {
        const keyword = token(child, 'MODEL')!;
        this.checkLowerCase(keyword, 'keywords');
        const name = token(child, 'Name')!;
        return { type: 'model', name: name.image, nameSpan: tokenSpan(name), span: nodeSpan(child) };
      }
      case 'inputStatement':
        return this.input(child);
      case 'compileStatement':
      case 'fitStatement':
        return this.section(child);
      default:
        return this.chain(child);
    }
  }

  private input(n: CstNode): InputStmt {
    this.checkLowerCase(token(n, 'INPUT')!, 'keywords');
    const shapeNode = nodes(n, 'shape')[0];
    const shapeToken = (token(shapeNode, 'INT') ?? token(shapeNode, 'DIMS'))!;
    const dtype = token(n, 'dtype');
    const stmt: InputStmt = {
      type: 'input',
      shape: this.scalar(shapeToken),
      options: nodes(n, 'keyValue').map((o) => this.option(o)),
      span: nodeSpan(n),
    };
    if (dtype) stmt.dtype = this.identValue(dtype);
    return stmt;
  }

  private section(n: CstNode): SectionStmt {
    const keyword = (token(n, 'COMPILE') ?? token(n, 'FIT'))!;
    this.checkLowerCase(keyword, 'keywords');
    return {
      type: keyword.image.toLowerCase() as 'compile' | 'fit',
      options: nodes(n, 'keyValue').map((o) => this.option(o)),
      span: nodeSpan(n),
    };
  }

  private chain(n: CstNode): LayerChain {
    return { type: 'chain', layers: nodes(n, 'layer').map((l) => this.layer(l)), span: nodeSpan(n) };
  }

  private layer(n: CstNode): LayerStmt {
    const kind = token(n, 'kind')!;
    const lower = kind.image.toLowerCase();
    if (kind.image !== lower)
      this.report(
        `layer kinds are lower case: did you mean \`${lower}\`?`,
        tokenSpan(kind),
        'Keras class names like `Dense` are written `dense`',
      );
    const layer: LayerStmt = { type: 'layer', kind: kind.image, kindSpan: tokenSpan(kind), positional: [], options: [], span: nodeSpan(n) };
    for (const arg of nodes(n, 'argument')) {
      const option = nodes(arg, 'keyValue')[0];
      if (option) {
        layer.options.push(this.option(option));
        continue;
      }
      const value = this.value(nodes(arg, 'value')[0]);
      const lastOption = layer.options[layer.options.length - 1];
      if (lastOption)
        this.report(
          `positional value \`${value.raw}\` comes after the option \`${lastOption.key}=\``,
          value.span,
          `positional values go before options, e.g. \`dense 10 relu use_bias=false\``,
        );
      layer.positional.push(value);
    }
    return layer;
  }

  private option(n: CstNode): OptionNode {
    const key = token(n, 'key')!;
    return { key: key.image, keySpan: tokenSpan(key), value: this.value(nodes(n, 'value')[0]), span: nodeSpan(n) };
  }

  private value(n: CstNode): Value {
    const list = nodes(n, 'list')[0];
    if (list) return { type: 'list', items: nodes(list, 'value').map((v) => this.value(v)), span: nodeSpan(list), raw: this.raw(list) };
    const call = nodes(n, 'call')[0];
    if (call) return this.call(call);
    const [t] = Object.values(n.children).flat() as IToken[];
    return this.scalar(t);
  }

  private call(n: CstNode): Value {
    const callee = token(n, 'callee')!;
    const args: Value[] = [];
    const options: OptionNode[] = [];
    for (const arg of nodes(n, 'argument')) {
      const option = nodes(arg, 'keyValue')[0];
      if (option) options.push(this.option(option));
      else {
        const value = this.value(nodes(arg, 'value')[0]);
        if (options.length > 0)
          this.report(
            `positional argument \`${value.raw}\` comes after a keyword argument`,
            value.span,
            'put positional arguments first, e.g. `sgd(0.01, momentum=0.9)`',
          );
        args.push(value);
      }
    }
    return { type: 'call', callee: callee.image, calleeSpan: tokenSpan(callee), args, options, span: nodeSpan(n), raw: this.raw(n) };
  }

  /** A value made of one token. */
  private scalar(t: IToken): Value {
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

  private raw(n: CstNode): string {
    return this.source.slice(n.location!.startOffset, n.location!.endOffset! + 1);
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
