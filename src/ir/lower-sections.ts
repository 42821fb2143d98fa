/** Lowering the `compile` and `fit` sections to IRCompile / IRFit, with Keras's defaults and names. */
import { error, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { CallValue, OptionNode, SectionStmt, Value } from '../parser/ast.js';
import type { ParamSpec } from '../layers/types.js';
import type { ArgValue, IRCompile, IRFit, IRTrainingCall } from './types.js';
import { bindArgs, findSpec } from './bind.js';
import { describeValue } from './values.js';
import { outputMapProblems } from './outputs.js';
import { didYouMean } from '../runtime/data/suggest.js';
import {
  BALANCED_CLASS_WEIGHT, CALLBACKS, DEFAULT_OPTIMIZER, FIT_OPTIONS, FIT_SPECIAL_OPTIONS, LOSS_ARGS, LOSSES, METRICS, OPTIMIZERS, SCHEDULES,
  canonicalName, type TrainingCallDef,
} from './training.js';

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
  const problems = outputMapProblems(opt.key, opt.value.entries.map((e) => ({ name: e.key, span: e.keySpan })), names, complete, opt.value.span);
  diagnostics.push(...problems);
  const out = new Map<string, T>();
  let ok = problems.length === 0;
  for (const entry of opt.value.entries) {
    if (out.has(entry.key)) {
      diagnostics.push(error('E-DUPLICATE-OPTION', `compile \`${opt.key}\` gives \`${entry.key}\` twice`, entry.span, 'remove one of them'));
      ok = false;
      continue;
    }
    const v = lower(entry.value, entry.key);
    if (v === undefined) ok = false;
    else out.set(entry.key, v);
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
  // A schedule as the learning rate is bound on its own; the optimizer's binding sees a placeholder number.
  const lrSpec = specs[0];
  const scheduleAt = v.args[0]?.type === 'call' ? v.args[0] : v.options.find((o) => findSpec([lrSpec], o.key) && o.value.type === 'call')?.value;
  let schedule: IRTrainingCall | undefined;
  if (scheduleAt?.type === 'call') {
    schedule = lowerSchedule(scheduleAt, `optimizer/args/${lrSpec.name}`, argSpans, diagnostics);
    if (!schedule) return undefined;
  }
  const placeholder = (value: Value): Value => (value === scheduleAt ? { type: 'float', value: 1, raw: '1', span: value.span } : value);
  const bound = bindArgs(
    { label: `optimizer ${name}`, positional: specs.slice(0, 1), options: specs.slice(1), example: `${name}(lr=0.001)` },
    v.args.map(placeholder), v.options.map((o) => ({ ...o, value: placeholder(o.value) })), v.span,
  );
  diagnostics.push(...bound.diagnostics);
  for (const [k, span] of Object.entries(bound.argSpans)) argSpans[`optimizer/args/${k}`] ??= span;
  if (schedule) bound.args[lrSpec.name] = schedule as unknown as ArgValue;
  return { name, args: bound.args };
}

function lowerSchedule(v: CallValue, at: string, argSpans: Record<string, Span>, diagnostics: Diagnostic[]): IRTrainingCall | undefined {
  if (Object.hasOwn(CALLBACKS, v.callee)) {
    diagnostics.push(error('E-ARG-VALUE', `\`${v.callee}\` is a callback, not a learning-rate schedule`, v.calleeSpan,
      `as in Keras, give it to fit: \`fit callbacks=[${CALLBACKS[v.callee].example}]\``));
    return undefined;
  }
  if (!Object.hasOwn(SCHEDULES, v.callee)) {
    diagnostics.push(error('E-ARG-VALUE', `unknown learning-rate schedule \`${v.callee}\``, v.calleeSpan,
      didYouMean(v.callee, Object.keys(SCHEDULES), 'one of')));
    return undefined;
  }
  return lowerTrainingCall(v, SCHEDULES[v.callee], at, argSpans, diagnostics);
}

/** Binds a schedule or callback call; its argument spans go under `at/args/NAME`. */
function lowerTrainingCall(v: CallValue, def: TrainingCallDef, at: string, argSpans: Record<string, Span>, diagnostics: Diagnostic[]): IRTrainingCall | undefined {
  const before = diagnostics.length;
  if (def.lists) return lowerListCall(v, def, def.lists, at, argSpans, diagnostics);
  const bound = bindArgs(
    { label: v.callee, positional: def.params.slice(0, def.positional), options: def.params.slice(def.positional), example: def.example },
    v.args, v.options, v.span,
  );
  diagnostics.push(...bound.diagnostics);
  for (const [k, span] of Object.entries(bound.argSpans)) argSpans[`${at}/args/${k}`] = span;
  return diagnostics.length > before ? undefined : { name: v.callee, args: bound.args };
}

/** A call whose parameters are all lists of numbers (piecewise_constant_decay), by position or by name. */
function lowerListCall(
  v: CallValue, def: TrainingCallDef, lists: NonNullable<TrainingCallDef['lists']>, at: string,
  argSpans: Record<string, Span>, diagnostics: Diagnostic[],
): IRTrainingCall | undefined {
  const before = diagnostics.length;
  const args: Record<string, ArgValue> = {};
  const given = new Set<string>();
  const set = (name: string, value: Value, where: Span) => {
    if (given.has(name)) {
      diagnostics.push(error('E-DUPLICATE-OPTION', `${v.callee} \`${name}\` is given twice`, where, 'remove one of them'));
      return;
    }
    given.add(name);
    const numbers = value.type === 'list' && value.items.every((i) => i.type === 'int' || i.type === 'float')
      ? value.items.map((i) => (i as { value: number }).value) : undefined;
    if (!numbers) {
      diagnostics.push(error('E-ARG-TYPE', `${v.callee} \`${name}\` expects a list of numbers such as \`[1000, 2000]\`; got ${describeValue(value)}`, value.span));
      return;
    }
    args[name] = numbers;
    argSpans[`${at}/args/${name}`] = value.span;
  };
  v.args.forEach((value, i) => {
    if (i < lists.length) set(lists[i].name, value, value.span);
    else if (i === lists.length) {
      diagnostics.push(error('E-EXTRA-POSITIONAL', `${v.callee} takes ${lists.length} values (${lists.map((l) => l.name).join(', ')}); got ${v.args.length}`, value.span));
    }
  });
  for (const o of v.options) {
    if (lists.some((l) => l.name === o.key)) set(o.key, o.value, o.span);
    else diagnostics.push(error('E-UNKNOWN-OPTION', `${v.callee} has no option \`${o.key}\``, o.keySpan, didYouMean(o.key, lists.map((l) => l.name), 'one of')));
  }
  for (const list of lists) {
    if (!given.has(list.name)) diagnostics.push(error('E-MISSING-ARG', `${v.callee} needs \`${list.name}\`: ${list.doc.charAt(0).toLowerCase()}${list.doc.slice(1).replace(/\.$/, '')}`, v.span, `e.g. \`${def.example}\``));
  }
  return diagnostics.length > before ? undefined : { name: v.callee, args };
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
  const special = new Set<string>(FIT_SPECIAL_OPTIONS);
  const plain = stmt.options.filter((o) => !special.has(o.key));
  const bound = bindArgs(
    { label: 'fit', positional: [], options: FIT_OPTIONS, example: 'fit epochs=5 batch=32', extraKeys: FIT_SPECIAL_OPTIONS },
    [], plain, stmt.span,
  );
  diagnostics.push(...bound.diagnostics);
  const options = uniqueOptions(stmt.options.filter((o) => special.has(o.key)), 'fit', diagnostics);
  const before = diagnostics.length;
  const argSpans = bound.argSpans;
  const fit = { ...(bound.args as unknown as Omit<IRFit, 'span' | 'argSpans'>) } as IRFit;
  const callbacks = options.get('callbacks');
  if (callbacks) fit.callbacks = lowerCallbacks(callbacks, argSpans, diagnostics);
  const classWeight = options.get('class_weight');
  if (classWeight) {
    const weight = lowerClassWeight(classWeight.value, diagnostics);
    if (weight !== undefined) {
      fit.class_weight = weight;
      argSpans.class_weight = classWeight.value.span;
    }
  }
  if (bound.diagnostics.length > 0 || diagnostics.length > before) return undefined;
  return { ...fit, span: stmt.span, argSpans };
}

function lowerCallbacks(opt: OptionNode, argSpans: Record<string, Span>, diagnostics: Diagnostic[]): IRTrainingCall[] {
  // `callbacks=early_stopping(...)` is read as a list of one.
  const items = opt.value.type === 'list' ? opt.value.items : [opt.value];
  argSpans.callbacks = opt.value.span;
  const out: IRTrainingCall[] = [];
  const seen = new Map<string, Span>();
  for (const item of items) {
    const name = item.type === 'call' ? item.callee : item.type === 'ident' ? item.name : undefined;
    if (name === undefined) {
      diagnostics.push(error('E-ARG-TYPE', `fit \`callbacks\` expects callbacks such as \`early_stopping(patience=3)\`; got ${describeValue(item)}`, item.span));
      continue;
    }
    const nameSpan = item.type === 'call' ? item.calleeSpan : item.span;
    if (!Object.hasOwn(CALLBACKS, name)) {
      const help = Object.hasOwn(SCHEDULES, name)
        ? `a schedule is the optimizer's learning rate: \`compile optimizer=adam(lr=${SCHEDULES[name].example})\``
        : didYouMean(name, Object.keys(CALLBACKS), 'one of');
      diagnostics.push(error('E-ARG-VALUE', `unknown callback \`${name}\``, nameSpan, help));
      continue;
    }
    const first = seen.get(name);
    if (first) {
      const d = error('E-DUPLICATE-OPTION', `fit \`callbacks\` lists \`${name}\` twice`, nameSpan, 'keep one of them');
      d.related = [{ message: 'first listed here', span: first }];
      diagnostics.push(d);
      continue;
    }
    seen.set(name, nameSpan);
    const at = `callbacks/${out.length}`;
    argSpans[at] = item.span;
    // A bare name (`early_stopping`) is the call with Keras's defaults.
    const call: CallValue = item.type === 'call' ? item : { type: 'call', callee: name, calleeSpan: item.span, args: [], options: [], span: item.span, raw: item.raw };
    const lowered = lowerTrainingCall(call, CALLBACKS[name], at, argSpans, diagnostics);
    if (lowered) out.push(lowered);
  }
  return out;
}

function lowerClassWeight(v: Value, diagnostics: Diagnostic[]): IRFit['class_weight'] | undefined {
  if (v.type === 'ident' && v.name === BALANCED_CLASS_WEIGHT) return BALANCED_CLASS_WEIGHT;
  if (v.type === 'map') {
    // Keras's dict: class index -> weight; classes left out weigh 1.
    const weights: Record<string, number> = {};
    let ok = v.entries.length > 0;
    for (const entry of v.entries) {
      if (!/^(0|[1-9][0-9]*)$/.test(entry.key)) {
        diagnostics.push(error('E-ARG-VALUE', `class_weight keys are class indices (0, 1, ...); got \`${entry.key}\``, entry.keySpan,
          'write e.g. `class_weight={0: 1, 1: 5}`; class names from the data are numbered in sorted order'));
        ok = false;
      } else if ((entry.value.type !== 'int' && entry.value.type !== 'float') || entry.value.value < 0) {
        diagnostics.push(error('E-ARG-TYPE', `class_weight of class ${entry.key} must be a number ≥ 0; got ${describeValue(entry.value)}`, entry.value.span));
        ok = false;
      } else weights[entry.key] = entry.value.value;
    }
    if (v.entries.length === 0) diagnostics.push(error('E-ARG-VALUE', 'class_weight={} weighs no class', v.span, 'remove it, or give a weight per class such as `{0: 1, 1: 5}`'));
    return ok ? weights : undefined;
  }
  diagnostics.push(error('E-ARG-TYPE', `fit \`class_weight\` expects \`balanced\` or a weight per class such as \`{0: 1, 1: 5}\`; got ${describeValue(v)}`, v.span,
    'write `class_weight=balanced` to weigh each class by the inverse of its frequency'));
  return undefined;
}
