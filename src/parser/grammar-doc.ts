/**
 * The grammar reference, generated from the parser itself (its serialized
 * GAST) so it cannot drift: grammar/mlc.ebnf and grammar/diagrams.html are
 * written by `npm run grammar`, and a test fails when they are stale.
 */
import type { ISerializedGast, TokenType } from 'chevrotain';
import { chevrotain } from './chevrotain.js';
import { getParser } from './grammar.js';
import { MAX_NESTING } from './logical-lines.js';
import { ALL_TOKENS } from './tokens.js';

interface Gast {
  type: string;
  name?: string;
  label?: string;
  definition?: Gast[];
  separator?: Gast;
}

const HEADER = `(* The grammar of .model files (mlc language v2).
   Generated from the parser by \`npm run grammar\`; do not edit by hand.

   Notation: [ x ] optional, { x } zero or more times, ( a | b ) one of,
   'x' literal text, UPPER_CASE a token defined at the end by a regular expression.
   WHITESPACE and COMMENT may appear anywhere. A NEWLINE ends a statement, except
   after '->' or ',' and inside an open '[ ]', '( )' or map '{ }': there it is
   dropped before parsing, so a statement may go on over several lines. A
   block's '{ }' holds statements, one a line. Lists, calls, maps and
   parentheses nest at most ${MAX_NESTING} deep in one statement. *)
`;

/** The literal text of a token whose label is written as code, e.g. `->`. */
function literal(label: string | undefined): string | undefined {
  return label && /^`[^`]+`$/.test(label) ? `'${label.slice(1, -1)}'` : undefined;
}

function terminal(node: Gast): string {
  return literal(node.label) ?? node.name!.toUpperCase();
}

/** A sequence of productions, space separated. */
function sequence(items: Gast[]): string {
  return items.map(production).join(' ');
}

function production(node: Gast): string {
  const body = () => sequence(node.definition ?? []);
  switch (node.type) {
    case 'Terminal':
      return terminal(node);
    case 'NonTerminal':
      return node.name!;
    case 'Option':
      return `[ ${body()} ]`;
    case 'Repetition':
      return `{ ${body()} }`;
    case 'RepetitionMandatory':
      return `${body()} { ${body()} }`;
    case 'RepetitionWithSeparator':
      return `[ ${body()} { ${terminal(node.separator!)} ${body()} } ]`;
    case 'RepetitionMandatoryWithSeparator':
      return `${body()} { ${terminal(node.separator!)} ${body()} }`;
    case 'Alternation':
      return `( ${alternatives(node)} )`;
    case 'Alternative':
      return body();
    default:
      throw new Error(`unknown grammar production ${node.type}`);
  }
}

function alternatives(node: Gast): string {
  return (node.definition ?? []).map(production).join(' | ');
}

function rule(node: Gast): string {
  const def = node.definition ?? [];
  // A rule that is one alternation reads better without the parentheses.
  const text = def.length === 1 && def[0].type === 'Alternation' ? alternatives(def[0]) : sequence(def);
  return `${node.name} = ${text} ;`;
}

function tokenRule(t: TokenType): string | undefined {
  const lit = literal(t.LABEL);
  const pattern = t.PATTERN;
  const name = t.name.toUpperCase();
  if (pattern === chevrotain.Lexer.NA) {
    const members = ALL_TOKENS.filter((o) => o.CATEGORIES?.includes(t)).map((o) => literal(o.LABEL) ?? o.name.toUpperCase());
    return `${name} = ${members.join(' | ')} ;`;
  }
  if (lit) return undefined; // a literal is shown where it is used
  const source = pattern instanceof RegExp ? `/${pattern.source}/${pattern.flags}` : String(pattern);
  const note =
    t.GROUP === chevrotain.Lexer.SKIPPED
      ? '  (* skipped *)'
      : t.GROUP === 'comments'
        ? '  (* kept for the formatter *)'
        : name === 'BAD_WORD'
          ? '  (* a number run into letters, e.g. 10relu: always reported as an error *)'
          : '';
  return `${name} = ${source} ;${note}`;
}

export function generateEbnf(): string {
  const gast = getParser().parser.getSerializedGastProductions() as unknown as Gast[];
  const rules = gast.map(rule);
  const tokens = ALL_TOKENS.map(tokenRule).filter((t): t is string => t !== undefined);
  const keywords = ALL_TOKENS.filter((t) => t.PATTERN instanceof RegExp && t.PATTERN.flags.includes('i')).map((t) => literal(t.LABEL));
  return [
    HEADER,
    rules.join('\n'),
    '',
    '(* Tokens, tried in this order at each position; the first that matches wins. *)',
    ...tokens,
    '',
    `(* The keywords ${keywords.join(' ')} are also matched in other cases (\`Model\`, \`True\`),`,
    '   only so that the parser can say that they are written in lower case. *)',
    '',
    "(* '-' is the operator when it follows a name, a number or a closing bracket directly, or when no",
    "   digit follows it; otherwise it is a number's sign: `filters-1` and `a - b` subtract, while",
    "   `reshape 4 -1` is two values, as in v1. The '(' of a call follows its name directly: after a",
    "   space, '(' groups arithmetic (`conv filters (k+1)` is two values). *)",
    '',
  ].join('\n');
}

export function generateDiagramsHtml(): string {
  const gast = getParser().parser.getSerializedGastProductions() as ISerializedGast[];
  return chevrotain.createSyntaxDiagramsCode(gast);
}
