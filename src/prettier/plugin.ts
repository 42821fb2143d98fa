/**
 * A prettier plugin for `.model` files, exported as `mlc/prettier`:
 *
 *   prettier --plugin mlc/prettier --write "**\/*.model"
 *
 * It gives exactly what `mlc fmt` gives: the "parser" runs mlc's formatter and
 * the printer returns its text unchanged, so there is one layout, defined in
 * src/parser/fmt.ts. Prettier's own options (print width, tabs) do not apply:
 * the canonical layout has one statement per line and no wrapping.
 */
import type { Parser, Plugin, Printer, SupportLanguage } from 'prettier';
import { formatSource } from '../parser/fmt.js';

/** The whole file, already in mlc's layout; prettier only needs somewhere to hang it. */
interface FormattedModel {
  type: 'mlc-model';
  formatted: string;
  length: number;
}

const AST_FORMAT = 'mlc-model';

export const languages: SupportLanguage[] = [
  { name: 'mlc model', parsers: ['mlc'], extensions: ['.model'], vscodeLanguageIds: ['mlc'] },
];

/** A syntax error prettier reports with a code frame: it reads `loc` (1-based line and column) from the error. */
class ModelSyntaxError extends SyntaxError {
  constructor(message: string, readonly loc: { start: { line: number; column: number } } | undefined) {
    super(message);
  }
}

export const parsers: Record<string, Parser<FormattedModel>> = {
  mlc: {
    astFormat: AST_FORMAT,
    parse(text) {
      const { text: formatted, diagnostics } = formatSource(text);
      if (formatted === undefined) {
        // As `mlc fmt`: a file with syntax errors is never rewritten.
        const first = diagnostics.find((d) => d.severity === 'error') ?? diagnostics[0];
        const span = first?.span;
        const help = first?.help ? ` (help: ${first.help})` : '';
        throw new ModelSyntaxError(`${first?.message ?? 'syntax error'}${help}`, span && { start: { line: span.line, column: span.column } });
      }
      return { type: 'mlc-model', formatted, length: text.length };
    },
    locStart: () => 0,
    locEnd: (node) => node.length,
  },
};

export const printers: Record<string, Printer<FormattedModel>> = {
  [AST_FORMAT]: {
    print: (path) => path.node.formatted,
  },
};

const plugin: Plugin<FormattedModel> = { languages, parsers, printers };
export default plugin;
