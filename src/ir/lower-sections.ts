/** Lowering the `compile` and `fit` sections to IRCompile / IRFit, with Keras's defaults and names. */
import { error, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { OptionNode, SectionStmt, Value } from '../parser/ast.js';
import type { ParamSpec } from '../layers/types.js';
import type { ArgValue, IRCompile, IRFit } from './types.js';
import { bindArgs } from './bind.js';
import { describeValue } from './values.js';
import { didYouMean } from '../runtime/data/suggest.js';
import { DEFAULT_OPTIMIZER, FIT_OPTIONS, LOSS_ARGS, LOSSES, METRICS, OPTIMIZERS, canonicalName } from './training.js';

const COMPILE_KEYS = ['loss', 'optimizer', 'metrics', 'loss_weights'];

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

/** A model output, for the maps of `compile`: its id, and its tensor name when it has one (`output cls box`). */
export interface OutputRef {
  id: string;
  name?: string;
}

/** A loss as lowered: its canonical name and the arguments it was called with. */
interface Loss {
  loss: string;
  lossArgs?: Record<string, ArgValue>;
}

/**
 * `compile`. `loss`, `metrics` and `loss_weights` may each be a map keyed by
 * the model's output names (`loss={cls: categorical_crossentropy, box: mse}`);
 * the IR keeps it as a map (see src/ir/outputs.ts for each output's part).
 */
export function lowerCompile(stmt: SectionStmt, diagnostics: Diagnostic[], outputs: readonly OutputRef[] = []): IRCompile | undefined {
  const options = uniqueOptions(stmt.options, 'compile', diagnostics);
  for (const [key, opt] of options) {
    if (!COMPILE_KEYS.includes(key)) diagnostics.push(error('E-UNKNOWN-OPTION', `compile has no option \`${key}\``, opt.keySpan, didYouMean(key, COMPILE_KEYS)));
  }
  const argSpans: Record<string, Span> = {};
  const lossOpt = options.get('loss');
  let loss: Loss | undefined;
  let losses: Map<string, Loss> | undefined;
  let ok = true;
  if (!lossOpt) {
    diagnostics.push(error('E-MISSING-ARG', 'compile needs a loss', stmt.span, 'add e.g. `loss=categorical_crossentropy` (classes one-hot) or `loss=mse` (regression)'));
  } else if (lossOpt.value.type === 'map') {
    losses = byOutput(lossOpt, outputs, diagnostics, (v, key) => lowerLoss(v, `loss/${key}`, argSpans, diagnostics), true);
    ok &&= losses !== undefined;
  } else {
    loss = lowerLoss(lossOpt.value, 'loss', argSpans, diagnostics);
    ok &&= loss !== undefined;
  }

  const optimizer = lowerOptimizer(options.get('optimizer'), argSpans, diagnostics);
  const metricsOpt = options.get('metrics');
  let metrics: string[] | undefined = [];
  let metricsByOutput: Map<string, string[]> | undefined;
  if (metricsOpt?.value.type === 'map') {
    metricsByOutput = byOutput(metricsOpt, outputs, diagnostics, (v, key) => lowerMetrics(v, `metrics/${key}`, argSpans, diagnostics), false);
    ok &&= metricsByOutput !== undefined;
  } else if (metricsOpt) metrics = lowerMetrics(metricsOpt.value, 'metrics', argSpans, diagnostics);

  const weightsOpt = options.get('loss_weights');
  let weights: Map<string, number> | undefined;
  if (weightsOpt) {
    if (weightsOpt.value.type !== 'map') {
      diagnostics.push(error('E-ARG-TYPE', `compile \`loss_weights\` expects a map keyed by output names; got ${describeValue(weightsOpt.value)}`, weightsOpt.value.span, 'e.g. `loss_weights={cls: 1, box: 0.5}`'));
      ok = false;
    } else {
      weights = byOutput(weightsOpt, outputs, diagnostics, (v) => lowerWeight(v, diagnostics), false);
      ok &&= weights !== undefined;
    }
  }
  if (!ok || (loss === undefined && losses === undefined) || optimizer === undefined || metrics === undefined) return undefined;
  // A metrics map lists the outputs that have metrics; the others get none (as in Keras).

  // Maps stay maps in the IR, keyed by output name (IR.outputNames); src/ir/outputs.ts resolves each output's part.
  const compile: IRCompile = {
    loss: losses ? Object.fromEntries([...losses].map(([name, l]) => [name, l.loss])) : loss!.loss,
    optimizer,
    metrics: metricsByOutput ? Object.fromEntries(metricsByOutput) : metrics,
    span: stmt.span,
    argSpans,
  };
  if (weights) compile.loss_weights = Object.fromEntries(weights);
  const lossArgs = losses
    ? Object.fromEntries([...losses].flatMap(([name, l]) => (l.lossArgs ? [[name, l.lossArgs]] : [])))
    : loss!.lossArgs;
  if (lossArgs && Object.keys(lossArgs).length > 0) compile.lossArgs = lossArgs;
  return compile;
}

/**
 * A map keyed by output names, each value lowered by `lower`; undefined when
 * a key is not an output, a value failed, or (`complete`) an output has none.
 */
function byOutput<T>(
  opt: OptionNode,
  outputs: readonly OutputRef[],
  diagnostics: Diagnostic[],
  lower: (v: Value, key: string) => T | undefined,
  complete: boolean,
): Map<string, T> | undefined {
  if (opt.value.type !== 'map') return undefined;
  const names = outputs.flatMap((o) => (o.name ? [o.name] : []));
  if (names.length < outputs.length || outputs.length === 0) {
    diagnostics.push(
      error('E-ARG-TYPE', `compile \`${opt.key}\` is a map keyed by output names, but the model's outputs are not named`, opt.value.span,
        'name them with `output`, e.g. `cls = ... `, `box = ...`, then `output cls box`; or give one value for all outputs'),
    );
    return undefined;
  }
  const out = new Map<string, T>();
  let ok = true;
  for (const entry of opt.value.entries) {
    if (!names.includes(entry.key)) {
      diagnostics.push(error('E-UNKNOWN-OUTPUT', `compile \`${opt.key}\`: \`${entry.key}\` is not an output of the model`, entry.keySpan, didYouMean(entry.key, names, 'an output:')));
      ok = false;
      continue;
    }
    if (out.has(entry.key)) {
      diagnostics.push(error('E-DUPLICATE-OPTION', `compile \`${opt.key}\` gives \`${entry.key}\` twice`, entry.span, 'remove one of them'));
      ok = false;
      continue;
    }
    const v = lower(entry.value, entry.key);
    if (v === undefined) ok = false;
    else out.set(entry.key, v);
  }
  if (complete) {
    for (const name of names) {
      if (ok && !out.has(name)) {
        diagnostics.push(error('E-MISSING-ARG', `compile \`${opt.key}\` has no entry for the output \`${name}\``, opt.value.span, `add \`${name}: ...\` to the map, or give one ${opt.key} for every output`));
        ok = false;
      }
    }
  }
  return ok ? out : undefined;
}

/** `mse`, or a loss called with its arguments: `categorical_crossentropy(from_logits=true)`. */
function lowerLoss(v: Value, key: string, argSpans: Record<string, Span>, diagnostics: Diagnostic[]): Loss | undefined {
  if (v.type !== 'ident' && v.type !== 'call') {
    diagnostics.push(error('E-ARG-TYPE', `compile \`loss\` expects a loss name such as \`mse\`; got ${describeValue(v)}`, v.span));
    return undefined;
  }
  const written = v.type === 'ident' ? v.name : v.callee;
  // Unknown names are kept as written: the schema reports them with a suggestion.
  const loss = canonicalName(LOSSES, written) ?? written;
  argSpans[key] = v.span;
  if (v.type === 'ident') return { loss };
  const specs = (LOSS_ARGS as Record<string, readonly ParamSpec[] | undefined>)[loss];
  if (!specs) {
    diagnostics.push(error('E-ARG-TYPE', `the loss \`${loss}\` takes no arguments`, v.span, `write it without parentheses: \`${written}\``));
    return undefined;
  }
  const bound = bindArgs({ label: `loss ${loss}`, positional: [], options: specs, example: `${loss}(from_logits=true)` }, v.args, v.options, v.span);
  diagnostics.push(...bound.diagnostics);
  if (bound.diagnostics.length > 0) return undefined;
  for (const [k, span] of Object.entries(bound.argSpans)) argSpans[`${key}Args/${k}`] = span;
  return { loss, lossArgs: bound.args };
}

function lowerWeight(v: Value, diagnostics: Diagnostic[]): number | undefined {
  if ((v.type === 'int' || v.type === 'float') && v.value >= 0) return v.value;
  diagnostics.push(error('E-ARG-TYPE', `a loss weight is a number of at least 0; got ${describeValue(v)}`, v.span, 'e.g. `loss_weights={cls: 1, box: 0.5}`'));
  return undefined;
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

function lowerMetrics(value: Value, key: string, argSpans: Record<string, Span>, diagnostics: Diagnostic[]): string[] | undefined {
  // `metrics=accuracy` is read as `metrics=[accuracy]`.
  const items: Value[] = value.type === 'list' ? value.items : [value];
  argSpans[key] = value.span;
  const metrics: string[] = [];
  let ok = true;
  items.forEach((item) => {
    if (item.type !== 'ident') {
      diagnostics.push(error('E-ARG-TYPE', `compile \`metrics\` expects metric names such as \`[accuracy]\`; got ${describeValue(item)}`, item.span));
      ok = false;
      return;
    }
    argSpans[`${key}/${metrics.length}`] = item.span;
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
