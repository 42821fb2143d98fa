/**
 * `mlc fmt`: the canonical layout of a `.model` file.
 *
 * One statement per line with single spaces between its parts, `key=value`
 * options, `[a, b]` lists, `{k: v}` maps, `f(a, k=v)` calls, arithmetic
 * without spaces (`4*filters`, only the parentheses that matter), numbers
 * exactly as written, a block's statements indented two spaces, comments kept
 * (a trailing one two spaces after its line), at most one blank line in a row,
 * no trailing whitespace, one final newline.
 *
 * A statement written over several lines keeps its line breaks after `->`
 * (the continuation lines indented four spaces more than the statement) and
 * is joined everywhere else; a comment from a line that was joined moves onto
 * a line of its own just above.
 *
 * Only a file that parsed without errors should be formatted: statements on
 * bad lines are missing from its AST and would be lost.
 */
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { BlockStmt, Comment, ExprValue, LayerChain, LayerStmt, ModelFile, OptionNode, Statement, Value } from './ast.js';
import { PRECEDENCE } from './build-ast.js';
import { parse } from './parse.js';

const BLOCK_INDENT = '  ';
const CONTINUATION_INDENT = '    ';

export function format(file: ModelFile): string {
  const out = new Printer(file.comments);
  out.items(file.statements, 1, Infinity, '');
  return out.text();
}

/** Parses and formats `source`; with syntax errors there is no text, only the diagnostics. */
export function formatSource(source: string): { text?: string; diagnostics: Diagnostic[] } {
  const { file, diagnostics } = parse(source);
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { text: format(file), diagnostics };
}

/** A statement's or comment's place in the source, by lines. */
interface Item {
  line: number;
  endLine: number;
  statement?: Statement;
  comment?: Comment;
}

class Printer {
  private readonly lines: string[] = [];
  private readonly commentAt = new Map<number, Comment>();

  constructor(comments: readonly Comment[]) {
    for (const c of comments) this.commentAt.set(c.span.line, c);
  }

  text(): string {
    return this.lines.length === 0 ? '' : this.lines.join('\n') + '\n';
  }

  /**
   * The statements, and the comments on lines `from` to `to` that no statement
   * covers, in source order at `indent`, with one blank line wherever the
   * source had some between two of them.
   */
  items(statements: readonly Statement[], from: number, to: number, indent: string): void {
    const items: Item[] = statements.map((s) => ({ line: s.span.line, endLine: s.span.endLine, statement: s }));
    const covered = new Set<number>();
    for (const s of statements) for (let line = s.span.line; line <= s.span.endLine; line++) covered.add(line);
    for (const c of this.commentAt.values())
      if (c.span.line >= from && c.span.line <= to && !covered.has(c.span.line)) items.push({ line: c.span.line, endLine: c.span.line, comment: c });
    items.sort((a, b) => a.line - b.line);

    let previous: Item | undefined;
    for (const item of items) {
      if (previous && item.line > previous.endLine + 1) this.lines.push('');
      if (item.comment) this.emit(indent, '', item.comment);
      else this.statement(item.statement!, indent);
      previous = item;
    }
  }

  /** One output line; `trailing` is the comment at the end of the source line it stands for. */
  private emit(indent: string, code: string, trailing?: Comment): void {
    const note = trailing ? `#${trailing.text}`.trimEnd() : '';
    this.lines.push(indent + (code && note ? `${code}  ${note}` : code || note));
  }

  /** Comments on lines `from` to `to`, inclusive, each on a line of its own. */
  private commentsBetween(from: number, to: number, indent: string): void {
    for (let line = from; line <= to; line++) {
      const c = this.commentAt.get(line);
      if (c) this.emit(indent, '', c);
    }
  }

  private statement(s: Statement, indent: string): void {
    if (s.type === 'block') return this.block(s, indent);
    if (s.type === 'chain') return this.chain(s, indent);
    this.commentsBetween(s.span.line, s.span.endLine - 1, indent);
    this.emit(indent, formatStatement(s), this.commentAt.get(s.span.endLine));
  }

  private block(b: BlockStmt, indent: string): void {
    const header = b.openSpan.line;
    this.commentsBetween(b.span.line, header - 1, indent);
    this.emit(indent, blockHeader(b), this.commentAt.get(header));
    this.items(b.body, header + 1, b.closeSpan.line - 1, indent + BLOCK_INDENT);
    this.emit(indent, '}', this.commentAt.get(b.closeSpan.line));
  }

  /** A chain keeps its line breaks after `->`; each output line stands for the source lines up to its last one. */
  private chain(c: LayerChain, indent: string): void {
    const steps: { text: string; span: Span }[] = [];
    if (c.input) steps.push({ text: formatStatement(c.input), span: c.input.span });
    for (const l of c.layers) steps.push({ text: formatLayer(l), span: l.span });
    const prefix = c.target ? `${c.target.name} = ` : '';

    let segment: string[] = [];
    let doneUpTo = c.span.line - 1;
    let lineIndent = indent;
    steps.forEach((step, i) => {
      segment.push(step.text);
      const next = steps[i + 1];
      if (next && next.span.line <= step.span.endLine) return;
      const last = step.span.endLine;
      this.commentsBetween(doneUpTo + 1, last - 1, lineIndent);
      const text = (doneUpTo < c.span.line ? prefix : '') + segment.join(' -> ') + (next ? ' ->' : '');
      this.emit(lineIndent, text, this.commentAt.get(last));
      doneUpTo = last;
      segment = [];
      lineIndent = indent + CONTINUATION_INDENT;
    });
  }
}

function blockHeader(b: BlockStmt): string {
  const inputs = b.inputs ? `[${b.inputs.map((i) => i.name).join(', ')}]` : '';
  const params = b.params.length > 0 ? `(${b.params.map((p) => (p.default ? `${p.name}=${formatValue(p.default)}` : p.name)).join(', ')})` : '';
  return `block ${b.name}${inputs}${params} {`;
}

/** A statement on one line (a block's header only: its body is laid out by `format`). */
export function formatStatement(s: Statement): string {
  switch (s.type) {
    case 'model':
      return `model ${s.name}`;
    case 'input':
      return join(['input', s.name?.name, formatValue(s.shape), s.dtype?.raw, ...s.options.map(formatOption)]);
    case 'output':
      return join(['output', ...s.names.map((n) => n.name)]);
    case 'block':
      return blockHeader(s);
    case 'compile':
    case 'fit':
      return join([s.type, ...s.options.map(formatOption)]);
    case 'chain': {
      const steps = [...(s.input ? [formatStatement(s.input)] : []), ...s.layers.map(formatLayer)];
      return (s.target ? `${s.target.name} = ` : '') + steps.join(' -> ');
    }
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
    case 'map':
      return `{${v.entries.map((e) => `${e.key}: ${formatValue(e.value)}`).join(', ')}}`;
    case 'call':
      return `${v.callee}(${[...v.args.map(formatValue), ...v.options.map(formatOption)].join(', ')})`;
    case 'expr':
      return formatExpr(v);
    default:
      return v.raw;
  }
}

/** `a-(b-c)` keeps its parentheses, `(a*b)+c` loses them: only those that change the tree are written. */
function formatExpr(e: ExprValue): string {
  const level = PRECEDENCE[e.operator];
  const operand = (v: Value, needsParens: (inner: number) => boolean) =>
    v.type === 'expr' && needsParens(PRECEDENCE[v.operator]) ? `(${formatExpr(v)})` : formatValue(v);
  return `${operand(e.left, (inner) => inner < level)}${e.operator}${operand(e.right, (inner) => inner <= level)}`;
}

function join(parts: (string | undefined)[]): string {
  return parts.filter((p) => p !== undefined).join(' ');
}
