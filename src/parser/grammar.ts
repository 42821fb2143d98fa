/**
 * The grammar of the `.model` language, as a chevrotain parser that builds
 * the AST as it reads (its actions call ./build-ast.ts; no concrete syntax
 * tree is made, which keeps a large file's parse cheap). The rules here are
 * also the source of grammar/mlc.ebnf and grammar/diagrams.html (see
 * ./grammar-doc.ts), so the reference cannot drift from the parser.
 *
 * The parser reads tokens after ./logical-lines.ts has dropped the newlines
 * that continue a statement, so every statement here ends at a NEWLINE.
 * `parse()` reads a whole file with rule `file`, and only when that fails
 * feeds the parser one statement at a time (rules `statement`, and
 * `blockHeader` for a block's first line), so that a bad line costs only its
 * own diagnostic.
 *
 * Chevrotain runs every rule once while analysing the grammar, with
 * placeholder tokens; the AST building is therefore wrapped in ACTION, which
 * is skipped then.
 */
import type { IOrAlt, IParserErrorMessageProvider, IToken } from 'chevrotain';
import type { BlockParam, BlockStmt, LayerStmt, MapEntry, NameNode, OptionNode, Statement, Value } from './ast.js';
import { AstBuilder, type Argument } from './build-ast.js';
import { chevrotain } from './chevrotain.js';
import { SyntaxMessages } from './messages.js';
import {
  ALL_TOKENS,
  Arrow,
  BadWord,
  Block,
  CallParen,
  Colon,
  Comma,
  Compile,
  Dims,
  Equals,
  False,
  Fit,
  Float,
  Ident,
  Input,
  Int,
  LBrace,
  LBracket,
  LParen,
  Model,
  Name,
  Newline,
  Operator,
  Output,
  RBrace,
  RBracket,
  RParen,
  True,
} from './tokens.js';

export class ModelParser extends chevrotain.EmbeddedActionsParser {
  /** Where the actions build the AST and collect their diagnostics; replaced for each parse (see `startBuilding`). */
  builder = new AstBuilder('');

  constructor(opts: { skipValidations?: boolean; errorMessageProvider?: IParserErrorMessageProvider } = {}) {
    super(ALL_TOKENS, {
      maxLookahead: 2,
      skipValidations: opts.skipValidations ?? false,
      ...(opts.errorMessageProvider ? { errorMessageProvider: opts.errorMessageProvider } : {}),
    });
    this.performSelfAnalysis();
  }

  /** Sets the tokens to parse and starts a fresh AST builder over `source`, the text they come from. */
  startBuilding(tokens: IToken[], source: string): void {
    this.input = tokens;
    this.builder = new AstBuilder(source);
  }

  /** The last token consumed: the end of the node being built. */
  private lastToken(): IToken {
    return this.LA(0);
  }

  /**
   * Parses one statement into `into`, unless building it found a mistake (its
   * diagnostics say why). A block with a sound header is kept even when some
   * of its statements were left out for their own mistakes.
   */
  private collect(into: Statement[], parseStatement: () => Statement): void {
    const mark = this.builder.diagnostics.length;
    const statement = parseStatement();
    this.ACTION(() => {
      if (this.builder.diagnostics.length === mark || this.builder.isSoundBlock(statement)) into.push(statement);
    });
  }

  /** A file: statements separated by newlines; blank lines allowed. */
  file = this.RULE('file', (): Statement[] => {
    const statements: Statement[] = [];
    this.OPTION(() => this.collect(statements, () => this.SUBRULE(this.statement)));
    this.MANY(() => {
      this.CONSUME(Newline);
      this.OPTION2(() => this.collect(statements, () => this.SUBRULE2(this.statement)));
    });
    return statements;
  });

  // The alternatives of each OR are built once and kept (chevrotain's advice):
  // they only refer to `this`, and building a new array of closures for every
  // statement and value cost a 3000-layer `mlc check` about a sixth of its time.
  private statementAlts?: IOrAlt<Statement>[];
  private innerStatementAlts?: IOrAlt<Statement>[];
  private chainAlts?: IOrAlt<Statement>[];
  private shapeAlts?: IOrAlt<IToken>[];
  private argumentAlts?: IOrAlt<Argument>[];
  private atomAlts?: IOrAlt<Value>[];

  /**
   * One line's statement. Every alternative starts with a different token, so
   * choosing one costs a single look at the first token.
   */
  statement = this.RULE('statement', (): Statement =>
    this.OR<Statement>((this.statementAlts ??= [
      { ALT: () => this.SUBRULE(this.modelStatement) },
      { ALT: () => this.SUBRULE(this.outputStatement) },
      { ALT: () => this.SUBRULE(this.blockDefinition) },
      { ALT: () => this.SUBRULE(this.compileStatement) },
      { ALT: () => this.SUBRULE(this.fitStatement) },
      { ALT: () => this.SUBRULE(this.layerChain) },
    ])),
  );

  /**
   * A statement inside a block: any but a block definition (blocks are defined
   * at top level). Those that belong at top level are refused by the builder,
   * with a message that says so.
   */
  innerStatement = this.RULE('innerStatement', (): Statement =>
    this.OR<Statement>((this.innerStatementAlts ??= [
      { ALT: () => this.SUBRULE(this.modelStatement) },
      { ALT: () => this.SUBRULE(this.outputStatement) },
      { ALT: () => this.SUBRULE(this.compileStatement) },
      { ALT: () => this.SUBRULE(this.fitStatement) },
      { ALT: () => this.SUBRULE(this.layerChain) },
    ])),
  );

  modelStatement = this.RULE('modelStatement', (): Statement => {
    const keyword = this.CONSUME(Model);
    const name = this.CONSUME(Name);
    return this.ACTION(() => this.builder.model(keyword, name));
  });

  /** `input [NAME] SHAPE [DTYPE] options`, optionally heading a chain: `input 784 -> dense 10`. */
  inputStatement = this.RULE('inputStatement', (): Statement => {
    const keyword = this.CONSUME(Input);
    this.ACTION(() => this.builder.checkLowerCase(keyword, 'keywords'));
    const name = this.OPTION(() => this.CONSUME(Ident, { LABEL: 'name' }));
    const shape = this.SUBRULE(this.shape);
    // Chevrotain's OPTION is greedy: without the gate, `input 784 name=x` would take `name` as the dtype.
    const dtype = this.OPTION2({ GATE: () => !chevrotain.tokenMatcher(this.LA(2), Equals), DEF: () => this.CONSUME2(Ident, { LABEL: 'dtype' }) });
    const options = this.options();
    const input = this.ACTION(() => this.builder.input(keyword, name, shape, dtype, options, this.lastToken()));
    const layers: LayerStmt[] = [];
    this.MANY2(() => {
      this.CONSUME(Arrow);
      const next = this.SUBRULE(this.layer);
      this.ACTION(() => layers.push(next));
    });
    return this.ACTION(() => (layers.length === 0 ? input : this.builder.chain(undefined, input, layers)));
  });

  shape = this.RULE('shape', (): IToken =>
    this.OR((this.shapeAlts ??= [{ ALT: () => this.CONSUME(Int) }, { ALT: () => this.CONSUME(Dims) }])),
  );

  /** `output cls box`: the model's outputs by name, in order. */
  outputStatement = this.RULE('outputStatement', (): Statement => {
    const keyword = this.CONSUME(Output);
    this.ACTION(() => this.builder.checkLowerCase(keyword, 'keywords'));
    const names: NameNode[] = [];
    this.AT_LEAST_ONE(() => {
      const name = this.CONSUME(Ident, { LABEL: 'name' });
      this.ACTION(() => names.push(this.builder.name(name)));
    });
    return this.ACTION(() => this.builder.output(keyword, names, this.lastToken()));
  });

  compileStatement = this.RULE('compileStatement', (): Statement => {
    const keyword = this.CONSUME(Compile);
    this.ACTION(() => this.builder.checkLowerCase(keyword, 'keywords'));
    const options = this.options();
    return this.ACTION(() => this.builder.section(keyword, options, this.lastToken()));
  });

  fitStatement = this.RULE('fitStatement', (): Statement => {
    const keyword = this.CONSUME(Fit);
    this.ACTION(() => this.builder.checkLowerCase(keyword, 'keywords'));
    const options = this.options();
    return this.ACTION(() => this.builder.section(keyword, options, this.lastToken()));
  });

  /** The `key=value` options of a statement, in order. */
  private options(): OptionNode[] {
    const options: OptionNode[] = [];
    this.MANY(() => {
      const option = this.SUBRULE(this.keyValue);
      this.ACTION(() => options.push(option));
    });
    return options;
  }

  /**
   * A chain, optionally bound to a name and optionally headed by an input:
   * `conv 32 5x5 relu -> maxpool 2`, `x = image -> conv 32 3`,
   * `input 784 -> dense 10`, or an input statement on its own.
   */
  layerChain = this.RULE('layerChain', (): Statement => {
    const target = this.OPTION(() => {
      const name = this.CONSUME(Ident, { LABEL: 'target' });
      this.CONSUME(Equals);
      return name;
    });
    const chain = this.OR<Statement>((this.chainAlts ??= [
      { ALT: () => this.SUBRULE(this.inputStatement) },
      {
        ALT: () => {
          const layers: LayerStmt[] = [];
          const first = this.SUBRULE(this.layer);
          this.ACTION(() => layers.push(first));
          this.MANY(() => {
            this.CONSUME(Arrow);
            const next = this.SUBRULE2(this.layer);
            this.ACTION(() => layers.push(next));
          });
          return this.ACTION(() => this.builder.chain(undefined, undefined, layers));
        },
      },
    ]));
    return target === undefined ? chain : this.ACTION(() => this.builder.bind(target, chain));
  });

  /**
   * `KIND positional... key=value...`: a layer, a merge or block call (`add [_, x]`),
   * or at a chain's head a tensor name or `_` (positional values before options is
   * checked when building the AST).
   */
  layer = this.RULE('layer', (): LayerStmt => {
    const kind = this.CONSUME(Ident, { LABEL: 'kind' });
    const layer = this.ACTION(() => this.builder.startLayer(kind));
    this.MANY(() => {
      const arg = this.SUBRULE(this.argument);
      this.ACTION(() => this.builder.layerArgument(layer, arg));
    });
    return this.ACTION(() => this.builder.endLayer(layer, kind, this.lastToken()));
  });

  /** `block NAME [ [inputs] ] [ (params) ] {`, its statements one a line, and `}` on a line of its own. */
  blockDefinition = this.RULE('blockDefinition', (): Statement => {
    const block = this.SUBRULE(this.blockHeader);
    this.CONSUME(Newline);
    this.MANY(() => {
      this.OPTION(() => {
        const mark = this.ACTION(() => this.builder.diagnostics.length);
        const statement = this.SUBRULE(this.innerStatement);
        this.ACTION(() => this.builder.blockStatement(block, statement, mark));
      });
      this.CONSUME2(Newline);
    });
    const close = this.CONSUME(RBrace);
    return this.ACTION(() => this.builder.endBlock(block, close));
  });

  blockHeader = this.RULE('blockHeader', (): BlockStmt => {
    const keyword = this.CONSUME(Block);
    const mark = this.ACTION(() => this.builder.diagnostics.length);
    this.ACTION(() => this.builder.checkLowerCase(keyword, 'keywords'));
    const name = this.CONSUME(Ident, { LABEL: 'name' });
    const inputs = this.OPTION(() => {
      const names: NameNode[] = [];
      this.CONSUME(LBracket);
      this.AT_LEAST_ONE_SEP({
        SEP: Comma,
        DEF: () => {
          const input = this.CONSUME2(Ident, { LABEL: 'input' });
          this.ACTION(() => names.push(this.builder.name(input)));
        },
      });
      this.CONSUME(RBracket);
      return names;
    });
    const params: BlockParam[] = [];
    this.OPTION2(() => {
      this.CONSUME(LParen);
      this.MANY_SEP({
        SEP: Comma,
        DEF: () => {
          const param = this.SUBRULE(this.blockParam);
          this.ACTION(() => params.push(param));
        },
      });
      this.CONSUME(RParen);
    });
    const open = this.CONSUME(LBrace);
    return this.ACTION(() => this.builder.startBlock(keyword, name, inputs, params, open, mark));
  });

  /** `filters`, or `stride=1` with its default. */
  blockParam = this.RULE('blockParam', (): BlockParam => {
    const name = this.CONSUME(Ident, { LABEL: 'param' });
    const value = this.OPTION(() => {
      this.CONSUME(Equals);
      return this.SUBRULE(this.value);
    });
    return this.ACTION(() => this.builder.blockParam(name, value, this.lastToken()));
  });

  argument = this.RULE('argument', (): Argument =>
    this.OR<Argument>((this.argumentAlts ??= [{ ALT: () => this.SUBRULE(this.keyValue) }, { ALT: () => this.SUBRULE(this.value) }])),
  );

  /** An option, `key=value` (a rule cannot be called `option`: chevrotain parsers already have that method). */
  keyValue = this.RULE('keyValue', (): OptionNode => {
    const key = this.CONSUME(Name, { LABEL: 'key' });
    this.CONSUME(Equals);
    const value = this.SUBRULE(this.value);
    return this.ACTION(() => this.builder.option(key, value, this.lastToken()));
  });

  /** A value made of one token. */
  private scalar(t: IToken): Value {
    return this.ACTION(() => this.builder.scalar(t));
  }

  /** An atom, or integer arithmetic on atoms: `4*filters`, `filters/2`, `(a+b)*2` (precedence is applied when building the AST). */
  value = this.RULE('value', (): Value => {
    // The atom's alternatives inline: a lone value, by far the most common, costs one rule, as in v1.
    const first = this.OR<Value>(this.atomAlternatives());
    let rest: [IToken, Value][] | undefined;
    this.MANY(() => {
      const operator = this.CONSUME(Operator);
      const operand = this.SUBRULE2(this.atom);
      this.ACTION(() => (rest ??= []).push([operator, operand]));
    });
    return rest === undefined ? first : this.ACTION(() => this.builder.arithmetic(first, rest!));
  });

  atom = this.RULE('atom', (): Value => this.OR<Value>(this.atomAlternatives()));

  private atomAlternatives(): IOrAlt<Value>[] {
    return (this.atomAlts ??= [
      { ALT: () => this.scalar(this.CONSUME(Int)) },
      { ALT: () => this.scalar(this.CONSUME(Float)) },
      { ALT: () => this.scalar(this.CONSUME(Dims)) },
      { ALT: () => this.scalar(this.CONSUME(True)) },
      { ALT: () => this.scalar(this.CONSUME(False)) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.map) },
      { ALT: () => this.SUBRULE(this.parenthesized) },
      { ALT: () => this.SUBRULE(this.call) },
      { ALT: () => this.scalar(this.CONSUME(Name)) },
      // Never valid: accepted here only so that it is reported with a fix (see tokens.ts).
      { ALT: () => this.scalar(this.CONSUME(BadWord)) },
    ]);
  }

  /** `(a+b)`: groups arithmetic. */
  parenthesized = this.RULE('parenthesized', (): Value => {
    const open = this.CONSUME(LParen);
    const inner = this.SUBRULE(this.value);
    const close = this.CONSUME(RParen);
    return this.ACTION(() => this.builder.parenthesized(open, inner, close));
  });

  /** `[accuracy, mse]`; may be empty; a trailing comma is allowed. */
  list = this.RULE('list', (): Value => {
    const items: Value[] = [];
    const open = this.CONSUME(LBracket);
    this.OPTION(() => {
      const first = this.SUBRULE(this.value);
      this.ACTION(() => items.push(first));
      this.MANY(() => {
        this.CONSUME(Comma);
        const next = this.SUBRULE2(this.value);
        this.ACTION(() => items.push(next));
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    const close = this.CONSUME(RBracket);
    return this.ACTION(() => this.builder.list(open, items, close));
  });

  /** `{cls: categorical_crossentropy, box: mse}`; may be empty; a trailing comma is allowed. */
  map = this.RULE('map', (): Value => {
    const entries: MapEntry[] = [];
    const open = this.CONSUME(LBrace);
    this.OPTION(() => {
      const first = this.SUBRULE(this.mapEntry);
      this.ACTION(() => entries.push(first));
      this.MANY(() => {
        this.CONSUME(Comma);
        const next = this.SUBRULE2(this.mapEntry);
        this.ACTION(() => entries.push(next));
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    const close = this.CONSUME(RBrace);
    return this.ACTION(() => this.builder.map(open, entries, close));
  });

  /** `key: value` in a map; a key is a name, or a whole number (class_weight's class indices, `{0: 1, 1: 5}`). */
  mapEntry = this.RULE('mapEntry', (): MapEntry => {
    const key = this.OR([{ ALT: () => this.CONSUME(Name, { LABEL: 'key' }) }, { ALT: () => this.CONSUME(Int, { LABEL: 'key' }) }]);
    this.CONSUME(Colon);
    const value = this.SUBRULE(this.value);
    return this.ACTION(() => this.builder.option(key, value, this.lastToken()));
  });

  /** `adam(lr=1e-4)`, `adam(0.001)`: `(` right after the name; arguments as in a layer, separated by commas. */
  call = this.RULE('call', (): Value => {
    const callee = this.CONSUME(Name, { LABEL: 'callee' });
    const call = this.ACTION(() => this.builder.startCall(callee));
    this.CONSUME(CallParen);
    this.OPTION(() => {
      const first = this.SUBRULE(this.argument);
      this.ACTION(() => this.builder.callArgument(call, first));
      this.MANY(() => {
        this.CONSUME(Comma);
        const next = this.SUBRULE2(this.argument);
        this.ACTION(() => this.builder.callArgument(call, next));
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    const close = this.CONSUME(RParen);
    return this.ACTION(() => this.builder.endCall(call, callee, close));
  });
}

let instance: { parser: ModelParser; messages: SyntaxMessages } | undefined;

/**
 * The one parser instance, built on first use: building it analyses the whole
 * grammar, which is the slowest step of a short `mlc check`. The grammar's own
 * validations are skipped here; the tests build it with them on.
 */
export function getParser(): { parser: ModelParser; messages: SyntaxMessages } {
  if (!instance) {
    const messages = new SyntaxMessages();
    instance = { parser: new ModelParser({ skipValidations: true, errorMessageProvider: messages }), messages };
  }
  return instance;
}
