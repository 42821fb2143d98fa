/**
 * The grammar of the `.model` language, as a chevrotain parser that builds
 * the AST as it reads (its actions call ./build-ast.ts; no concrete syntax
 * tree is made, which keeps a large file's parse cheap). The rules here are
 * also the source of grammar/mlc.ebnf and grammar/diagrams.html (see
 * ./grammar-doc.ts), so the reference cannot drift from the parser.
 *
 * `parse()` reads a whole file with rule `file`, and only when that fails
 * feeds the parser one line at a time (rule `statement`), so that a bad line
 * costs only its own diagnostic.
 *
 * Chevrotain runs every rule once while analysing the grammar, with
 * placeholder tokens; the AST building is therefore wrapped in ACTION, which
 * is skipped then.
 */
import type { IOrAlt, IParserErrorMessageProvider, IToken } from 'chevrotain';
import type { LayerStmt, OptionNode, Statement, Value } from './ast.js';
import { AstBuilder, type Argument } from './build-ast.js';
import { chevrotain } from './chevrotain.js';
import { SyntaxMessages } from './messages.js';
import {
  ALL_TOKENS,
  Arrow,
  BadWord,
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
  LBracket,
  LParen,
  Model,
  Name,
  Newline,
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

  /** Parses one statement into `into`, unless building it found a mistake (its diagnostics say why). */
  private collect(into: Statement[], parseStatement: () => Statement): void {
    const mark = this.builder.diagnostics.length;
    const statement = parseStatement();
    this.ACTION(() => {
      if (this.builder.diagnostics.length === mark) into.push(statement);
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
  private shapeAlts?: IOrAlt<IToken>[];
  private argumentAlts?: IOrAlt<Argument>[];
  private valueAlts?: IOrAlt<Value>[];

  statement = this.RULE('statement', (): Statement =>
    this.OR<Statement>((this.statementAlts ??= [
      { ALT: () => this.SUBRULE(this.modelStatement) },
      { ALT: () => this.SUBRULE(this.inputStatement) },
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

  inputStatement = this.RULE('inputStatement', (): Statement => {
    const keyword = this.CONSUME(Input);
    this.ACTION(() => this.builder.checkLowerCase(keyword, 'keywords'));
    const shape = this.SUBRULE(this.shape);
    // Chevrotain's OPTION is greedy: without the gate, `input 784 name=x` would take `name` as the dtype.
    const dtype = this.OPTION({ GATE: () => !chevrotain.tokenMatcher(this.LA(2), Equals), DEF: () => this.CONSUME(Ident, { LABEL: 'dtype' }) });
    const options = this.options();
    return this.ACTION(() => this.builder.input(keyword, shape, dtype, options, this.lastToken()));
  });

  shape = this.RULE('shape', (): IToken =>
    this.OR((this.shapeAlts ??= [{ ALT: () => this.CONSUME(Int) }, { ALT: () => this.CONSUME(Dims) }])),
  );

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

  /** `conv 32 5x5 relu -> maxpool 2`: one or more layers joined by `->`. */
  layerChain = this.RULE('layerChain', (): Statement => {
    const layers: LayerStmt[] = [];
    const first = this.SUBRULE(this.layer);
    this.ACTION(() => layers.push(first));
    this.MANY(() => {
      this.CONSUME(Arrow);
      const next = this.SUBRULE2(this.layer);
      this.ACTION(() => layers.push(next));
    });
    return this.ACTION(() => this.builder.chain(layers));
  });

  /** `KIND positional... key=value...` (positional values before options is checked when building the AST). */
  layer = this.RULE('layer', (): LayerStmt => {
    const kind = this.CONSUME(Ident, { LABEL: 'kind' });
    const layer = this.ACTION(() => this.builder.startLayer(kind));
    this.MANY(() => {
      const arg = this.SUBRULE(this.argument);
      this.ACTION(() => this.builder.layerArgument(layer, arg));
    });
    return this.ACTION(() => this.builder.endLayer(layer, kind, this.lastToken()));
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

  value = this.RULE('value', (): Value =>
    this.OR<Value>((this.valueAlts ??= [
      { ALT: () => this.scalar(this.CONSUME(Int)) },
      { ALT: () => this.scalar(this.CONSUME(Float)) },
      { ALT: () => this.scalar(this.CONSUME(Dims)) },
      { ALT: () => this.scalar(this.CONSUME(True)) },
      { ALT: () => this.scalar(this.CONSUME(False)) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.call) },
      { ALT: () => this.scalar(this.CONSUME(Name)) },
      // Never valid: accepted here only so that it is reported with a fix (see tokens.ts).
      { ALT: () => this.scalar(this.CONSUME(BadWord)) },
    ])),
  );

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

  /** `adam(lr=1e-4)`, `adam(0.001)`; arguments as in a layer, separated by commas. */
  call = this.RULE('call', (): Value => {
    const callee = this.CONSUME(Name, { LABEL: 'callee' });
    const call = this.ACTION(() => this.builder.startCall(callee));
    this.CONSUME(LParen);
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
