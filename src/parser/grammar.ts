/**
 * The grammar of the `.model` language, as a chevrotain parser. The rules
 * here are also the source of grammar/mlc.ebnf and grammar/diagrams.html
 * (see ./grammar-doc.ts), so the reference cannot drift from the parser.
 *
 * `parse()` feeds the parser one line at a time (rule `statement`), so that a
 * bad line costs only its own diagnostic; rule `file` states how lines make a
 * file and is checked against the line-by-line parse in the tests.
 */
import type { CstNode, IParserErrorMessageProvider } from 'chevrotain';
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

export class ModelParser extends chevrotain.CstParser {
  constructor(opts: { skipValidations?: boolean; errorMessageProvider?: IParserErrorMessageProvider } = {}) {
    super(ALL_TOKENS, {
      maxLookahead: 2,
      nodeLocationTracking: 'full',
      skipValidations: opts.skipValidations ?? false,
      ...(opts.errorMessageProvider ? { errorMessageProvider: opts.errorMessageProvider } : {}),
    });
    this.performSelfAnalysis();
  }

  /** A file: statements separated by newlines; blank lines allowed. */
  file = this.RULE('file', () => {
    this.OPTION(() => this.SUBRULE(this.statement));
    this.MANY(() => {
      this.CONSUME(Newline);
      this.OPTION2(() => this.SUBRULE2(this.statement));
    });
  });

  statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.modelStatement) },
      { ALT: () => this.SUBRULE(this.inputStatement) },
      { ALT: () => this.SUBRULE(this.compileStatement) },
      { ALT: () => this.SUBRULE(this.fitStatement) },
      { ALT: () => this.SUBRULE(this.layerChain) },
    ]);
  });

  modelStatement = this.RULE('modelStatement', () => {
    this.CONSUME(Model);
    this.CONSUME(Name);
  });

  inputStatement = this.RULE('inputStatement', () => {
    this.CONSUME(Input);
    this.SUBRULE(this.shape);
    // Chevrotain's OPTION is greedy: without the gate, `input 784 name=x` would take `name` as the dtype.
    this.OPTION({ GATE: () => !chevrotain.tokenMatcher(this.LA(2), Equals), DEF: () => this.CONSUME(Ident, { LABEL: 'dtype' }) });
    this.MANY(() => this.SUBRULE(this.keyValue));
  });

  shape = this.RULE('shape', () => {
    this.OR([{ ALT: () => this.CONSUME(Int) }, { ALT: () => this.CONSUME(Dims) }]);
  });

  compileStatement = this.RULE('compileStatement', () => {
    this.CONSUME(Compile);
    this.MANY(() => this.SUBRULE(this.keyValue));
  });

  fitStatement = this.RULE('fitStatement', () => {
    this.CONSUME(Fit);
    this.MANY(() => this.SUBRULE(this.keyValue));
  });

  /** `conv 32 5x5 relu -> maxpool 2`: one or more layers joined by `->`. */
  layerChain = this.RULE('layerChain', () => {
    this.SUBRULE(this.layer);
    this.MANY(() => {
      this.CONSUME(Arrow);
      this.SUBRULE2(this.layer);
    });
  });

  /** `KIND positional... key=value...` (positional values before options is checked when building the AST). */
  layer = this.RULE('layer', () => {
    this.CONSUME(Ident, { LABEL: 'kind' });
    this.MANY(() => this.SUBRULE(this.argument));
  });

  argument = this.RULE('argument', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.keyValue) }, { ALT: () => this.SUBRULE(this.value) }]);
  });

  /** An option, `key=value` (a rule cannot be called `option`: chevrotain parsers already have that method). */
  keyValue = this.RULE('keyValue', () => {
    this.CONSUME(Name, { LABEL: 'key' });
    this.CONSUME(Equals);
    this.SUBRULE(this.value);
  });

  value = this.RULE('value', () => {
    this.OR([
      { ALT: () => this.CONSUME(Int) },
      { ALT: () => this.CONSUME(Float) },
      { ALT: () => this.CONSUME(Dims) },
      { ALT: () => this.CONSUME(True) },
      { ALT: () => this.CONSUME(False) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.call) },
      { ALT: () => this.CONSUME(Name) },
      // Never valid: accepted here only so that it is reported with a fix (see tokens.ts).
      { ALT: () => this.CONSUME(BadWord) },
    ]);
  });

  /** `[accuracy, mse]`; may be empty; a trailing comma is allowed. */
  list = this.RULE('list', () => {
    this.CONSUME(LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.value);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.value);
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    this.CONSUME(RBracket);
  });

  /** `adam(lr=1e-4)`, `adam(0.001)`; arguments as in a layer, separated by commas. */
  call = this.RULE('call', () => {
    this.CONSUME(Name, { LABEL: 'callee' });
    this.CONSUME(LParen);
    this.OPTION(() => {
      this.SUBRULE(this.argument);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.argument);
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    this.CONSUME(RParen);
  });
}

export type { CstNode };

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
