/**
 * `mlc fmt`: the canonical layout of a `.model` file.
 *
 * One statement per line with single spaces between its parts, `key=value`
 * options, `[a, b]` lists, `f(a, k=v)` calls, numbers exactly as written,
 * comments kept (a trailing one two spaces after its statement), at most one
 * blank line in a row, no trailing whitespace, one final newline.
 * Only a file that parsed without errors should be formatted: statements on
 * bad lines are missing from its AST and would be lost.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Comment, LayerStmt, ModelFile, OptionNode, Statement, Value } from './ast.js';
import { parse } from './parse.js';

export function format(file: ModelFile, source: string): string {
  const statementAt = new Map<number, Statement>(file.statements.map((s) => [s.span.line, s]));
  const commentAt = new Map<number, Comment>(file.comments.map((c) => [c.span.line, c]));
  const lineCount = source.split('\n').length;

  const out: string[] = [];
  let blankPending = false;
  for (let line = 1; line <= lineCount; line++) {
    const statement = statementAt.get(line);
    const comment = commentAt.get(line);
    if (!statement && !comment) {
      blankPending = out.length > 0;
      continue;
    }
    if (blankPending) out.push('');
    blankPending = false;
    const code = statement ? formatStatement(statement) : '';
    const note = comment ? `#${comment.text}`.trimEnd() : '';
    out.push(code && note ? `${code}  ${note}` : code || note);
  }
  return out.length === 0 ? '' : out.join('\n') + '\n';
}

/** Parses and formats `source`; with syntax errors there is no text, only the diagnostics. */
export function formatSource(source: string): { text?: string; diagnostics: Diagnostic[] } {
  const { file, diagnostics } = parse(source);
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { text: format(file, source), diagnostics };
}

export function formatStatement(s: Statement): string {
  switch (s.type) {
    case 'model':
      return `model ${s.name}`;
    case 'input':
      return join(['input', formatValue(s.shape), s.dtype?.raw, ...s.options.map(formatOption)]);
    case 'compile':
    case 'fit':
      return join([s.type, ...s.options.map(formatOption)]);
    case 'chain':
      return s.layers.map(formatLayer).join(' -> ');
  }
}

function formatLayer(l: LayerStmt): string {
  return join([l.kind, ...l.positional.map(formatValue), ...l.options.map(formatOption)]);
}

function formatOption(o: OptionNode): string {
  return `${o.key}=${formatValue(o.value)}`;
}

export function formatValue(v: Value): string {
  switch (v.type) {
    case 'list':
      return `[${v.items.map(formatValue).join(', ')}]`;
    case 'call':
      return `${v.callee}(${[...v.args.map(formatValue), ...v.options.map(formatOption)].join(', ')})`;
    default:
      return v.raw;
  }
}

function join(parts: (string | undefined)[]): string {
  return parts.filter((p) => p !== undefined).join(' ');
}
