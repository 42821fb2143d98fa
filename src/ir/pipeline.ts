/**
 * The front end as one call, for the CLI and every other consumer:
 * parse -> lower -> validate -> infer -> compile checks for `.model` text, and
 * read -> validate -> infer -> compile checks for IR JSON. Every diagnostic
 * that can be found is collected; nothing here throws, whatever the input.
 */
import { error, hasErrors, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { ModelFile } from '../parser/ast.js';
import { parse, type ParseCache } from '../parser/parse.js';
import { checkCompile } from './compile-checks.js';
import { inferModel } from './infer.js';
import { scanJson } from './json-locate.js';
import { lower } from './lower.js';
import type { IR, ModelFacts } from './types.js';
import { findIRProblems, validateIR, type Locate } from './validate.js';

export interface CompileResult {
  ast?: ModelFile;
  ir?: IR;
  facts?: ModelFacts;
  diagnostics: Diagnostic[];
}

/** `specs/mnist-cnn.model` -> `mnist-cnn`, the model's name when it has no `model` line. */
export function defaultModelName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? '';
  return base.replace(/\.[^.]*$/, '') || 'model';
}

/** `parseCache`: an editor's cache for one document, which spares parsing the statements an edit left alone. */
export function compileSource(source: string, file: string, parseCache?: ParseCache): CompileResult {
  const result: CompileResult = { diagnostics: [] };
  return guarded(result, () => {
    const parsed = parse(source, parseCache);
    result.ast = parsed.file;
    result.diagnostics.push(...parsed.diagnostics);
    const lowered = lower(parsed.file, defaultModelName(file));
    // A statement the parser could not read is missing from the tree: "no layers" or "no input" would then be false.
    const parseFailed = hasErrors(parsed.diagnostics);
    result.diagnostics.push(...lowered.diagnostics.filter((d) => !(parseFailed && (d.code === 'E-NO-LAYERS' || d.code === 'E-NO-INPUT'))));
    if (!lowered.ir) return;
    result.ir = lowered.ir;
    const broken = new Set(lowered.broken);
    for (const problem of findIRProblems(lowered.ir)) {
      const node = problem.node === undefined ? undefined : lowered.ir.nodes[problem.node]?.id;
      // A statement whose lowering was refused is already reported; its schema errors would say it twice.
      if (node !== undefined && lowered.broken.has(node)) continue;
      // An argument lowering already rejected is absent from the IR; "missing" would say it twice.
      if (problem.diagnostic.code === 'E-IR-MISSING' && hasErrors(lowered.diagnostics)) continue;
      result.diagnostics.push(problem.diagnostic);
      if (node !== undefined) broken.add(node);
    }
    if (lowered.ir.inputs.length === 0) return;
    analyse(result, lowered.ir, broken);
  });
}

export function compileIRJson(text: string, file: string): CompileResult {
  void file; // spans refer to `text`, which the caller renders as `file`
  const result: CompileResult = { diagnostics: [] };
  return guarded(result, () => {
    const scan = scanJson(text);
    if (scan.error) return void result.diagnostics.push(scan.error);
    const locate: Locate = (pointer) => nearest(scan.spans, pointer);
    pointSpansIntoJson(scan.value, scan.spans);
    const invalid = validateIR(scan.value, locate);
    result.diagnostics.push(...invalid);
    if (invalid.length > 0) return;
    const ir = scan.value as IR;
    result.ir = ir;
    if (ir.inputs.length === 0) {
      return void result.diagnostics.push(error('E-NO-INPUT', 'the IR has no input, so its shapes cannot be checked', locate('/inputs'), 'add an input such as {"id": "input", "name": "input_layer", "shape": [784], "dtype": "float32"}'));
    }
    analyse(result, ir, new Set());
  });
}

/**
 * Inference, past any error: the facts hold every shape that can be known.
 * The compile checks need the model's output shape, so they run only on a
 * model without errors.
 */
function analyse(result: CompileResult, ir: IR, broken: ReadonlySet<string>): void {
  const inferred = inferModel(ir, broken);
  result.diagnostics.push(...inferred.diagnostics);
  result.facts = inferred.facts;
  if (inferred.facts.unknown.length === 0 && !hasErrors(result.diagnostics)) result.diagnostics.push(...checkCompile(ir, inferred.facts));
}

function guarded(result: CompileResult, run: () => void): CompileResult {
  try {
    run();
  } catch (e) {
    result.diagnostics.push(error('E-INTERNAL', `internal error: ${(e as Error)?.message ?? String(e)}`, undefined, 'please report this with the file that caused it'));
  }
  result.diagnostics = sortByPosition(result.diagnostics);
  return result;
}

/** In reading order; whole-file diagnostics last. Stable, so a stage's order is kept on one spot. */
function sortByPosition(ds: Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) => (d.span ? d.span.line * 1e6 + d.span.column : Infinity);
  return [...ds].sort((a, b) => key(a) - key(b));
}

/** The span of the value at `pointer`, else of its closest enclosing value. */
function nearest(spans: Map<string, Span>, pointer: string): Span | undefined {
  for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
    const s = spans.get(p);
    if (s || p === '') return s;
  }
}

/**
 * An IR file's `span`s point into the .model text it was lowered from; while
 * checking the file itself they are replaced by where each node, input,
 * section and argument sits in the JSON, so carets land in the file shown.
 */
function pointSpansIntoJson(value: unknown, spans: Map<string, Span>): void {
  const obj = (v: unknown): Record<string, unknown> | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
  const root = obj(value);
  if (!root) return;
  const argSpans = argSpansByOwner(spans);
  const rebase = (target: Record<string, unknown> | undefined, pointer: string, argsPointer?: string) => {
    if (!target) return;
    const own = spans.get(pointer);
    if (own) target.span = own;
    else delete target.span;
    if (argsPointer !== undefined) target.argSpans = argSpans.get(argsPointer) ?? {};
  };
  (Array.isArray(root.inputs) ? root.inputs : []).forEach((input, i) => rebase(obj(input), `/inputs/${i}`));
  (Array.isArray(root.nodes) ? root.nodes : []).forEach((node, i) => rebase(obj(node), `/nodes/${i}`, `/nodes/${i}/args`));
  for (const section of ['compile', 'fit']) rebase(obj(root[section]), `/${section}`, `/${section}`);
}

/** What holds arguments in an IR (a node's `args`, a section), then the pointer of one argument's value within it. */
const ARGUMENT_POINTER = /^(\/nodes\/\d+\/args|\/compile|\/fit)\/(.+)$/;

/**
 * The spans of every value written inside a node's `args` or a section,
 * grouped by that holder and keyed by the value's pointer relative to it
 * (`units`, `optimizer/args/lr`), in file order; a section's own `span` and
 * `argSpans` are not arguments. One pass over the scan, however many nodes.
 */
function argSpansByOwner(spans: Map<string, Span>): Map<string, Record<string, Span>> {
  const byOwner = new Map<string, Record<string, Span>>();
  for (const [pointer, span] of spans) {
    const m = ARGUMENT_POINTER.exec(pointer);
    if (!m || /^(span|argSpans)(\/|$)/.test(m[2])) continue;
    let group = byOwner.get(m[1]);
    if (!group) byOwner.set(m[1], (group = {}));
    group[m[2]] = span;
  }
  return byOwner;
}
