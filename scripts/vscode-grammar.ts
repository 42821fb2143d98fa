/**
 * The TextMate grammar of `.model` files for editors (editors/vscode), built
 * from the compiler's own tables: the layer kinds and aliases, activations,
 * losses, metrics and optimizers are those the compiler accepts, so the
 * colours cannot drift from the language. Written to
 * editors/vscode/syntaxes/mlc.tmLanguage.json by ./gen-vscode-grammar.ts;
 * a test fails when the file is stale.
 *
 * Covers v1 and v2 (DSL.md): statements and their keywords, `->` chains,
 * bindings `x = ...`, `input NAME SHAPE`, `output`, `block name[a, b](p=1) { }`,
 * lists, maps `{k: v}`, calls, `_` and `in`, integer arithmetic, dims, numbers, comments.
 */
import { ACTIVATIONS } from '../src/layers/activations.js';
import { LAYER_DEFS } from '../src/layers/index.js';
import { LOSSES, METRICS, OPTIMIZERS, allNames } from '../src/ir/training.js';
import { KEYWORDS } from '../src/parser/tokens.js';

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';

/** `\b(?:a|b|c)\b` over names, longest first so that `conv1d` is not read as `conv`. */
function words(names: Iterable<string>): string {
  const sorted = [...new Set(names)].sort((a, b) => b.length - a.length || a.localeCompare(b));
  return `(?:${sorted.join('|')})`;
}

export function vscodeGrammar(): Record<string, unknown> {
  const kinds = words(LAYER_DEFS.flatMap((d) => [d.kind, ...d.aliases]));
  const notKeyword = `(?!(?:${KEYWORDS.join('|')})\\b)`;
  /** A layer kind or block call where a statement's layer stands; both carry meta.kind.mlc. */
  const kind = (group: number) => ({
    [group]: { name: 'meta.kind.mlc support.function.layer.mlc' },
    [group + 1]: { name: 'meta.kind.mlc entity.name.function.call.block.mlc' },
  });
  // A known kind is a kind (`flatten -> dense 10`) unless it is an option key or a map key; any other
  // name is a block call, unless it heads a chain (`x -> ...`) or is an option, a binding or a list item.
  const kindAlternatives = `(?:\\b(${kinds})\\b(?!\\s*(?:=|:))|${notKeyword}\\b(${IDENT})\\b(?!\\s*(?:->|=|:|,|\\])))`;

  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'mlc',
    scopeName: 'source.mlc',
    fileTypes: ['model'],
    patterns: [
      { include: '#comment' },
      { include: '#model' },
      { include: '#input' },
      { include: '#keyword-statement' },
      { include: '#block-header' },
      { include: '#block-end' },
      { include: '#binding' },
      { include: '#statement-kind' },
      { include: '#arrow' },
      { include: '#arrow-kind' },
      { include: '#values' },
    ],
    repository: {
      comment: {
        name: 'comment.line.number-sign.mlc',
        match: '(#).*$',
        captures: { 1: { name: 'punctuation.definition.comment.mlc' } },
      },
      model: {
        match: `^\\s*(model)\\s+(${IDENT})`,
        captures: { 1: { name: 'keyword.other.model.mlc' }, 2: { name: 'entity.name.type.model.mlc' } },
      },
      input: {
        // `input 28x28x1`, `input image 28x28x1 int32`: the name, when given, is a tensor definition.
        match: `^\\s*(input)\\b(?:\\s+(?!(?:float32|int32)\\b)(${IDENT})\\b)?`,
        captures: { 1: { name: 'keyword.other.input.mlc' }, 2: { name: 'variable.other.definition.tensor.mlc' } },
      },
      'keyword-statement': {
        match: '^\\s*(output|compile|fit)\\b',
        captures: { 1: { name: 'keyword.other.statement.mlc' } },
      },
      'block-header': {
        begin: `^\\s*(block)\\s+(${IDENT})`,
        beginCaptures: { 1: { name: 'keyword.other.block.mlc' }, 2: { name: 'entity.name.function.block.mlc' } },
        end: '(\\{)|(?=#)|$',
        endCaptures: { 1: { name: 'punctuation.section.block.begin.mlc' } },
        patterns: [
          {
            // `[a, b]`: the block's tensor inputs.
            begin: '\\[',
            beginCaptures: { 0: { name: 'punctuation.section.brackets.begin.mlc' } },
            end: '\\]',
            endCaptures: { 0: { name: 'punctuation.section.brackets.end.mlc' } },
            patterns: [
              { match: IDENT, name: 'variable.parameter.input.mlc' },
              { match: ',', name: 'punctuation.separator.comma.mlc' },
            ],
          },
          {
            // `(filters, stride=1)`: value parameters with their defaults.
            begin: '\\(',
            beginCaptures: { 0: { name: 'punctuation.section.parens.begin.mlc' } },
            end: '\\)',
            endCaptures: { 0: { name: 'punctuation.section.parens.end.mlc' } },
            patterns: [
              { match: `(${IDENT})\\s*(=)`, captures: { 1: { name: 'variable.parameter.mlc' }, 2: { name: 'keyword.operator.assignment.mlc' } } },
              { match: `(${IDENT})(?=\\s*[,)])`, name: 'variable.parameter.mlc' },
              { include: '#values' },
            ],
          },
        ],
      },
      'block-end': {
        match: '^\\s*(\\})',
        captures: { 1: { name: 'punctuation.section.block.end.mlc' } },
      },
      binding: {
        // `x = conv 32 3`, `x = image -> ...`, `x = input 784`.
        match: `^\\s*(${IDENT})\\s*(=)(?!=)\\s*(?:(input)\\b|${kindAlternatives})?`,
        captures: {
          1: { name: 'variable.other.definition.tensor.mlc' },
          2: { name: 'keyword.operator.assignment.mlc' },
          3: { name: 'keyword.other.input.mlc' },
          ...kind(4),
        },
      },
      'statement-kind': {
        match: `^\\s*${kindAlternatives}`,
        captures: kind(1),
      },
      arrow: { match: '->', name: 'keyword.operator.arrow.mlc' },
      'arrow-kind': {
        match: `(?<=->)\\s*${kindAlternatives}`,
        captures: kind(1),
      },
      values: {
        patterns: [
          { include: '#comment' },
          { match: '(?<![\\w.])(?:-?[0-9]+|\\?)(?:x(?:-?[0-9]+|\\?))+(?![\\w.?])', name: 'constant.numeric.dims.mlc' },
          { match: '(?<![\\w.])-?(?:(?:[0-9]+\\.[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+)(?![\\w.?])', name: 'constant.numeric.float.mlc' },
          { match: '(?<![\\w.])-?[0-9]+(?![\\w.?])', name: 'constant.numeric.integer.mlc' },
          { match: '(?<![\\w.])\\?(?![\\w.?])', name: 'constant.numeric.unknown.mlc' },
          { match: '\\b(?:true|false)\\b', name: 'constant.language.boolean.mlc' },
          { match: '\\b_\\b', name: 'variable.language.previous.mlc' },
          { match: '\\bin\\b', name: 'variable.language.input.mlc' },
          { match: `\\b(${IDENT})\\s*(:)`, captures: { 1: { name: 'variable.other.property.key.mlc' }, 2: { name: 'punctuation.separator.key-value.mlc' } } },
          { match: `\\b(${IDENT})\\s*(=)(?!=)`, captures: { 1: { name: 'variable.parameter.option.mlc' }, 2: { name: 'keyword.operator.assignment.mlc' } } },
          { match: `\\b${words(ACTIVATIONS)}\\b`, name: 'support.constant.activation.mlc' },
          { match: `\\b${words(allNames(LOSSES))}\\b`, name: 'support.constant.loss.mlc' },
          { match: `\\b${words(allNames(METRICS))}\\b`, name: 'support.constant.metric.mlc' },
          { match: `\\b${words(Object.keys(OPTIMIZERS))}\\b`, name: 'support.function.optimizer.mlc' },
          // A kind in value position is a wrapped layer (`bidirectional lstm 64`): names are never kinds.
          { match: `\\b${kinds}\\b`, name: 'support.function.layer.mlc' },
          { match: `\\b(${IDENT})(?=\\()`, name: 'entity.name.function.call.mlc' },
          { match: `\\b${IDENT}\\b`, name: 'variable.other.mlc' },
          { match: '\\*|/|\\+|-(?!>)', name: 'keyword.operator.arithmetic.mlc' },
          { match: ',', name: 'punctuation.separator.comma.mlc' },
          { match: '\\[', name: 'punctuation.section.brackets.begin.mlc' },
          { match: '\\]', name: 'punctuation.section.brackets.end.mlc' },
          { match: '\\(', name: 'punctuation.section.parens.begin.mlc' },
          { match: '\\)', name: 'punctuation.section.parens.end.mlc' },
          { match: '\\{', name: 'punctuation.section.braces.begin.mlc' },
          { match: '\\}', name: 'punctuation.section.braces.end.mlc' },
        ],
      },
    },
  };
}

export function vscodeGrammarJson(): string {
  return JSON.stringify(vscodeGrammar(), null, 2) + '\n';
}
