/** Lowering the `compile` and `fit` sections to IRCompile / IRFit, with Keras's defaults and names. */
import { error, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { OptionNode, SectionStmt, Value } from '../parser/ast.js';
import type { ArgValue, IRCompile, IRFit } from './types.js';
import { bindArgs } from './bind.js';
import { describeValue } from './values.js';
import { didYouMean } from '../runtime/data/suggest.js';
import { DEFAULT_OPTIMIZER, FIT_OPTIONS, LOSSES, METRICS, OPTIMIZERS, canonicalName } from './training.js';

const COMPILE_KEYS = ['loss', 'optimizer', 'metrics'];

/** Options given twice are reported here; the first one counts. */
function uniqueOptions(options: readonly OptionNode[], section: string, diagnostics: Diagnostic[]): Map<string, OptionNode> {
  const seen = new Map<string, OptionNode>();
  for (const opt of options) {
    const first = seen.get(opt.key);
    if (first) {
      const d = error('E-DUPLICATE-OPTION', `${section} \`${opt.key}\` is given twice`, opt.span, 'remove one of them');
      d.related = [{ message: `\`${opt.key}\` was first given here`, span: first.span }];
      diagnostics.push(d);
    } else seen.set(opt.key, opt);
  }
  return seen;
}

export function lowerCompile(stmt: SectionStmt, diagnostics: Diagnostic[]): IRCompile | undefined {
  const options = uniqueOptions(stmt.options, 'compile', diagnostics);
  for (const [key, opt] of options) {
    if (!COMPILE_KEYS.includes(key)) diagnostics.push(error('E-UNKNOWN-OPTION', `compile has no option \`${key}\``, opt.keySpan, didYouMean(key, COMPILE_KEYS)));
  }
  const argSpans: Record<string, Span> = {};
  const lossOpt = options.get('loss');
  let loss: string | undefined;
  if (!lossOpt) {
    diagnostics.push(error('E-MISSING-ARG', 'compile needs a loss', stmt.span, 'add e.g. `loss=categorical_crossentropy` (classes one-hot) or `loss=mse` (regression)'));
  } else if (lossOpt.value.type !== 'ident') {
    diagnostics.push(error('E-ARG-TYPE', `compile \`loss\` expects a loss name such as \`mse\`; got ${describeValue(lossOpt.value)}`, lossOpt.value.span));
  } else {
    // Unknown names are kept as written: the schema reports them with a suggestion.
    loss = canonicalName(LOSSES, lossOpt.value.name) ?? lossOpt.value.name;
    argSpans.loss = lossOpt.value.span;
  }

  const optimizer = lowerOptimizer(options.get('optimizer'), argSpans, diagnostics);
  const metrics = lowerMetrics(options.get('metrics'), argSpans, diagnostics);
  if (loss === undefined || optimizer === undefined || metrics === undefined) return undefined;
  return { loss, optimizer, metrics, span: stmt.span, argSpans };
}

function lowerOptimizer(opt: OptionNode | undefined, argSpans: Record<string, Span>, diagnostics: Diagnostic[]): IRCompile['optimizer'] | undefined {
  if (!opt) return { name: DEFAULT_OPTIMIZER, args: defaultsOf(DEFAULT_OPTIMIZER) };
  const v = opt.value;
  if (v.type !== 'ident' && v.type !== 'call') {
    diagnostics.push(error('E-ARG-TYPE', `compile \`optimizer\` expects an optimizer such as \`adam\` or \`adam(lr=1e-4)\`; got ${describeValue(v)}`, v.span));
    return undefined;
  }
  argSpans.optimizer = v.span;
  const name = v.type === 'ident' ? v.name : v.callee;
  const specs = OPTIMIZERS[name];
  if (!Object.hasOwn(OPTIMIZERS, name)) return { name, args: {} }; // the schema names the choices
  if (v.type === 'ident') return { name, args: defaultsOf(name) };
  const bound = bindArgs({ label: `optimizer ${name}`, positional: specs.slice(0, 1), options: specs.slice(1), example: `${name}(lr=0.001)` }, v.args, v.options, v.span);
  diagnostics.push(...bound.diagnostics);
  for (const [k, span] of Object.entries(bound.argSpans)) argSpans[`optimizer/args/${k}`] = span;
  return { name, args: bound.args };
}

function defaultsOf(optimizer: string): Record<string, ArgValue> {
  return Object.fromEntries(OPTIMIZERS[optimizer].map((s) => [s.name, s.default as ArgValue]));
}

function lowerMetrics(opt: OptionNode | undefined, argSpans: Record<string, Span>, diagnostics: Diagnostic[]): string[] | undefined {
  if (!opt) return [];
  // `metrics=accuracy` is read as `metrics=[accuracy]`.
  const items: Value[] = opt.value.type === 'list' ? opt.value.items : [opt.value];
  argSpans.metrics = opt.value.span;
  const metrics: string[] = [];
  let ok = true;
  items.forEach((item) => {
    if (item.type !== 'ident') {
      diagnostics.push(error('E-ARG-TYPE', `compile \`metrics\` expects metric names such as \`[accuracy]\`; got ${describeValue(item)}`, item.span));
      ok = false;
      return;
    }
    argSpans[`metrics/${metrics.length}`] = item.span;
    metrics.push(canonicalName(METRICS, item.name) ?? item.name);
  });
  return ok ? metrics : undefined;
}

export function lowerFit(stmt: SectionStmt, diagnostics: Diagnostic[]): IRFit | undefined {
  const bound = bindArgs({ label: 'fit', positional: [], options: FIT_OPTIONS, example: 'fit epochs=5 batch=32' }, [], stmt.options, stmt.span);
  diagnostics.push(...bound.diagnostics);
  if (bound.diagnostics.length > 0) return undefined;
  return { ...(bound.args as unknown as Omit<IRFit, 'span' | 'argSpans'>), span: stmt.span, argSpans: bound.argSpans };
}
