/**
 * Checks of the `compile` section against the model it trains: the loss
 * against the output shape and the output activation, and the metrics against
 * the loss. Wrong combinations that cannot train are errors; legal but
 * questionable ones (softmax with binary_crossentropy, a linear output under a
 * probability loss) are warnings that say what to change.
 */
import { error, warning, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import { formatShape } from '../layers/index.js';
import { labelModeFor, probabilityActivation } from './training.js';
import { fromLogits, isPerOutputMap, outputMapProblems, outputSpecs, type OutputSpec } from './outputs.js';
import { didYouMean } from '../runtime/data/suggest.js';
import { canonicalName, METRICS } from './training.js';
import type { IR, IRCompile, IRNode, IRTrainingCall, ModelFacts, NodeFacts, PerOutput } from './types.js';

/** A loss over a distribution of classes (one unit per class, softmax). */
const isClassLoss = (loss: string) => probabilityActivation(loss) === 'softmax';
const isRegressionLoss = (loss: string) => labelModeFor(loss) === 'regression';
/** Layers that pass values through unchanged, so the activation before them is still the output's. */
const PASS_THROUGH = new Set(['dropout', 'flatten', 'reshape', 'spatialdropout1d', 'spatialdropout2d', 'gaussiannoise', 'gaussiandropout']);

/** The activation applied last before the output, if one can be read off the IR. */
export function outputActivation(ir: IR, outputId: string): { activation: string; node: IRNode } | undefined {
  let index = ir.nodes.findIndex((n) => n.id === outputId);
  while (index >= 0) {
    const node = ir.nodes[index];
    if (typeof node.args.activation === 'string') return { activation: node.args.activation, node };
    // The activation layers act as their namesake activation.
    if (node.kind === 'softmax' || node.kind === 'elu' || node.kind === 'relu') return { activation: node.kind, node };
    if (!PASS_THROUGH.has(node.kind)) return undefined;
    index = ir.nodes.findIndex((n) => n.id === node.inputs[0]);
  }
  return undefined;
}

/**
 * The most parameters a model may have: 2^31 - 1, about 8 GB of float32
 * weights. TensorFlow.js indexes tensors with 32-bit integers, and training
 * needs about four times the weights' memory (gradients and optimizer slots),
 * so a larger model cannot be trained by any backend mlc runs on.
 */
export const MAX_PARAMETERS = 2 ** 31 - 1;

/** "292.5 GB": a byte count for a size message. */
function gigabytes(bytes: number): string {
  const gb = bytes / 2 ** 30;
  return gb >= 1 ? `${gb.toPrecision(4).replace(/\.?0+$/, '')} GB` : `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

/** A model over MAX_PARAMETERS is refused at the layer that takes it past the limit. */
export function checkModelSize(ir: IR, facts: ModelFacts): Diagnostic[] {
  if (!(facts.totalParams > MAX_PARAMETERS)) return [];
  const biggest = facts.nodes.reduce((a, b) => (b.trainableParams + b.nonTrainableParams > a.trainableParams + a.nonTrainableParams ? b : a));
  const node = ir.nodes.find((n) => n.id === biggest.id);
  const count = (n: number) => (n >= 1e21 ? n.toExponential(3) : Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ','));
  return [error('E-MODEL-SIZE',
    `the model has ${count(facts.totalParams)} parameters, which need ~${gigabytes(facts.totalParams * 4)} as float32; mlc trains models of up to ${count(MAX_PARAMETERS)} parameters (8 GB)`,
    node?.span,
    `\`${biggest.name}\` holds ${count(biggest.trainableParams + biggest.nonTrainableParams)} of them: make it smaller (fewer units, a pooling layer or a smaller input before it)`)];
}

/** Layers that take int32 token ids: the embedding, and those that only move values (their output stays int32). */
const TAKES_IDS = new Set(['embedding', 'flatten', 'reshape']);
export const KEEPS_IDS: ReadonlySet<string> = new Set(['flatten', 'reshape']);

/**
 * What TensorFlow.js builds but cannot train, found by running every kind and
 * option (test/properties/check-train.test.ts): float layers fed token ids,
 * an embedding fed computed values (ids have no gradient, and computed
 * values fall outside the table, where the lookup fails mid-step), and bilinear
 * upsampling of a non-square image behind a trained layer (its gradient comes back with
 * height and width swapped).
 */
export function checkTrainable(ir: IR, facts: ModelFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ids = new Set(ir.inputs.filter((i) => i.dtype === 'int32').map((i) => i.id));
  const trained = new Set<string>();
  /** The layer whose computation each tensor follows from: values that are no longer token ids. */
  const computedBy = new Map<string, string>();
  const factsOf = new Map(facts.nodes.map((n) => [n.id, n]));
  const shapeOf = (id: string) => facts.inputShapes[id] ?? factsOf.get(id)?.outputShape;
  for (const node of ir.nodes) {
    const input = node.inputs[0];
    const inShape = shapeOf(input);
    if (ids.has(input) && !TAKES_IDS.has(node.kind)) {
      out.push(error('E-DTYPE', `\`${node.kind}\` needs float values, but its input is int32 token ids`, node.span,
        'start with `embedding`, which turns token ids into float vectors'));
      continue;
    }
    if (ids.has(input) && KEEPS_IDS.has(node.kind)) ids.add(node.id);
    const behindTrained = node.inputs.some((i) => trained.has(i));
    const computer = node.inputs.map((i) => computedBy.get(i)).find((name) => name !== undefined);
    if (computer !== undefined && node.kind === 'embedding') {
      out.push(error('E-DTYPE', `\`${node.name}\` looks up token ids, but its input is computed by \`${computer}\` (float values, not ids)`, node.span,
        'put the embedding right after an `int32` input'));
      continue;
    }
    // Only flatten and reshape hand their input's values on unchanged: after any other layer they are no longer token ids.
    const computes = computer ?? (KEEPS_IDS.has(node.kind) ? undefined : node.name);
    if (computes !== undefined) computedBy.set(node.id, computes);
    if (behindTrained && node.kind === 'upsample' && node.args.interpolation === 'bilinear' && inShape?.length === 4 && inShape[1] !== inShape[2]) {
      out.push(error('E-TFJS-TRAIN', `TensorFlow.js cannot train bilinear upsampling of a non-square input ${formatShape(inShape)} after a layer with weights`, node.span,
        'use `interpolation=nearest`, or make height and width equal'));
    }
    const own = factsOf.get(node.id);
    if (behindTrained || (own?.trainableParams ?? 0) > 0) trained.add(node.id);
  }
  return out;
}

export function checkCompile(ir: IR, facts: ModelFacts): Diagnostic[] {
  const sized = checkModelSize(ir, facts);
  if (sized.length > 0) return sized;
  if (ir.compile) {
    const untrainable = checkTrainable(ir, facts);
    if (untrainable.length > 0) return untrainable;
  }
  const compile = ir.compile;
  const outputs = outputSpecs(ir);
  if (!compile || !outputs) return [];
  const spanOf = (key: string): Span | undefined => compile.argSpans?.[key] ?? compile.span;
  if (facts.trainableParams === 0) {
    return [error('E-NOTHING-TO-TRAIN', 'the model has no trainable weights, so training has nothing to change', compile.span,
      'add a layer with weights (e.g. `dense N`) before the output, or leave out the `compile` line to only check shapes')];
  }
  const out = checkOutputKeys(compile, outputs.map((o) => o.name), spanOf);
  const perOutput = outputs.length > 1;
  for (const output of outputs) {
    const outFacts = facts.nodes.find((n) => n.id === output.id);
    if (!outFacts) continue;
    // With several outputs, the spans of map entries are keyed `loss/NAME`.
    const keyOf = (key: string) => (perOutput && compile.argSpans?.[`${key}/${output.name}`] ? `${key}/${output.name}` : key);
    out.push(...checkOutput(ir, output, outFacts, (key) => spanOf(keyOf(key))));
  }
  out.push(...checkTraining(ir, outputs));
  return out;
}

/** The compile maps' keys against the outputs (for IR files; a compiled source was checked as it was lowered). */
function checkOutputKeys(compile: IRCompile, names: string[], spanOf: (key: string) => Span | undefined): Diagnostic[] {
  const maps: [string, unknown][] = [['loss', compile.loss], ['metrics', compile.metrics], ['loss_weights', compile.loss_weights]];
  return maps.flatMap(([key, value]) => (value === undefined || !isPerOutputMap(value as PerOutput<unknown>) ? [] : outputMapProblems(
    key, Object.keys(value as object).map((name) => ({ name, span: spanOf(`${key}/${name}`) })), names, key === 'loss', spanOf(key),
  )));
}

/** One output's loss against its shape and activation, and its metrics against its loss. */
function checkOutput(ir: IR, output: OutputSpec, outFacts: NodeFacts, spanOf: (key: string) => Span | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const outputNode = ir.nodes.find((n) => n.id === output.id);
  const pointAtOutput = (d: Diagnostic, message = 'the output layer is here') => {
    if (outputNode?.span) d.related = [{ message, span: outputNode.span }];
    out.push(d);
    return d;
  };
  const loss = output.loss;
  const shape = formatShape(outFacts.outputShape);
  const last = outFacts.outputShape[outFacts.outputShape.length - 1];

  // The classic beginner's mistake: a classifier without `flatten`, whose dense layer then runs on every
  // position and ends in (None, 13, 13, 10). (A segmentation output ending in a convolution is legal.)
  if (outFacts.outputShape.length > 2 && outputNode?.kind === 'dense') {
    const lossSpan = spanOf('loss');
    const what = isClassLoss(loss) || probabilityActivation(loss) ? 'classes' : 'units';
    return [{
      ...error('E-LOSS-SHAPE', `${loss} needs an output of (None, ${what}), one row per sample; the model's output is ${shape}`,
        outputNode.span ?? lossSpan, 'add `flatten` (or `globalavgpool`) before the dense layers'),
      related: lossSpan ? [{ message: 'the loss is set here', span: lossSpan }] : undefined,
    }];
  }
  if (isClassLoss(loss) && last === 1) {
    pointAtOutput(
      error('E-LOSS-SHAPE', `${loss} needs one output per class (last dimension > 1); the model's output is ${shape}`, spanOf('loss'),
        'for N classes end with `dense N softmax`; for a yes/no output of one unit use `loss=binary_crossentropy` with `sigmoid`'),
    );
  }
  if (loss === 'binary_crossentropy' && typeof last === 'number' && last > 1) {
    pointAtOutput(
      warning('W-LOSS-SHAPE', `binary_crossentropy treats each of the ${last} outputs as its own yes/no label (multi-label); the model's output is ${shape}`, spanOf('loss'),
        'if each sample has exactly one of these classes, use `loss=categorical_crossentropy` (one-hot labels) or `sparse_categorical_crossentropy` (class ids) with `softmax`'),
    );
  }

  const act = outputActivation(ir, output.id);
  if (fromLogits(output)) {
    // The loss applies softmax or sigmoid itself: the output must be raw scores.
    if (act && act.activation !== 'linear' && !out.some((d) => d.severity === 'error')) {
      pointAtOutput(warning('W-LOSS-ACTIVATION', `${loss}(from_logits=true) applies ${probabilityActivation(loss) ?? 'its activation'} itself, but the output layer already applies \`${act.activation}\``,
        spanOf('loss'), `end the model with a linear layer (e.g. \`dense ${last ?? 'N'}\`), or drop from_logits=true`), 'the output activation is set here');
    }
  } else if (act && !out.some((d) => d.severity === 'error')) {
    // After a shape error the activation advice would be about the wrong output.
    const expected = probabilityActivation(loss);
    if (act.activation === 'softmax' && last === 1) {
      pointAtOutput(warning('W-LOSS-ACTIVATION', 'softmax over a single output is always 1, so the model cannot learn', spanOf('loss'), 'use `sigmoid` for one yes/no output, or one unit per class with `softmax`'));
    } else if (expected && act.activation !== expected) {
      pointAtOutput(warning('W-LOSS-ACTIVATION', activationMessage(loss, act.activation, expected), spanOf('loss'), `end the model with \`${expected}\`, e.g. \`dense ${last ?? 'N'} ${expected}\``), 'the output activation is set here');
    }
  }
  out.push(...checkMetrics(output.metrics, loss, (i) => spanOf(`metrics/${i}`) ?? spanOf('metrics')));
  return out;
}

/** The learning-rate schedule, the callbacks and the weights of the fit section, against the compile section. */
export function checkTraining(ir: IR, outputs: readonly OutputSpec[]): Diagnostic[] {
  const compile = ir.compile;
  if (!compile) return [];
  const fit = ir.fit;
  const out: Diagnostic[] = [];
  const compileSpan = (key: string): Span | undefined => compile.argSpans?.[key] ?? compile.argSpans?.optimizer ?? compile.span;
  const fitSpan = (key: string): Span | undefined => fit?.argSpans?.[key] ?? fit?.span;
  const lr = compile.optimizer.args.learning_rate;
  const schedule = typeof lr === 'object' && lr !== null && !Array.isArray(lr) ? (lr as unknown as IRTrainingCall) : undefined;
  if (schedule?.name === 'piecewise_constant_decay') {
    const boundaries = schedule.args.boundaries as number[];
    const values = schedule.args.values as number[];
    const at = 'optimizer/args/learning_rate/args';
    if (values.length !== boundaries.length + 1) {
      out.push(error('E-ARG-VALUE', `piecewise_constant_decay needs one more value than boundaries; got ${boundaries.length} boundaries and ${values.length} values`,
        compileSpan(`${at}/values`), 'the first value holds up to the first boundary, the last one after the last boundary'));
    }
    if (boundaries.some((b, i) => i > 0 && b <= boundaries[i - 1])) {
      out.push(error('E-ARG-VALUE', `piecewise_constant_decay boundaries must increase; got [${boundaries.join(', ')}]`, compileSpan(`${at}/boundaries`)));
    }
  }

  const validation = (fit?.validation_split ?? 0) > 0;
  // With one output the figures are `loss` and its metrics; several outputs' per-output names are not checked here.
  const single = outputs.length === 1 ? outputs[0] : undefined;
  (fit?.callbacks ?? []).forEach((callback, i) => {
    const monitor = callback.args.monitor;
    if (typeof monitor === 'string' && single) {
      const d = checkMonitor(monitor, single.metrics, validation, callback.name, fitSpan(`callbacks/${i}/args/monitor`) ?? fitSpan(`callbacks/${i}`));
      if (d) out.push(d);
    }
    if (callback.name === 'reduce_lr_on_plateau' && schedule) {
      const d = error('E-ARG-VALUE', `reduce_lr_on_plateau cannot change a learning rate that the schedule \`${schedule.name}\` sets`, fitSpan(`callbacks/${i}`),
        'use either the schedule or reduce_lr_on_plateau, as Keras requires');
      d.related = [{ message: 'the schedule is given here', span: compileSpan('optimizer/args/learning_rate') ?? compile.span! }];
      out.push(d);
    }
  });

  if (fit?.class_weight !== undefined) {
    const regression = outputs.find((o) => isRegressionLoss(o.loss));
    if (regression) {
      out.push(error('E-ARG-VALUE', `class_weight weighs classes, but loss=${regression.loss} is a regression`, fitSpan('class_weight'),
        'remove `class_weight`'));
    }
  }
  return out;
}

/** A callback's `monitor` must name a figure that training reports: `loss` or a compile metric, `val_` with validation data. */
function checkMonitor(monitor: string, metrics: readonly string[], validation: boolean, callback: string, span: Span | undefined): Diagnostic | undefined {
  const isVal = monitor.startsWith('val_');
  const base = isVal ? monitor.slice(4) : monitor;
  const known = ['loss', ...metrics];
  if (!known.includes(base)) {
    const canonical = canonicalName(METRICS, base);
    const names = known.flatMap((k) => [k, `val_${k}`]);
    const help = canonical && known.includes(canonical) ? `did you mean \`${isVal ? 'val_' : ''}${canonical}\`?` : didYouMean(monitor, names, 'one of');
    return error('E-ARG-VALUE', `${callback} monitors \`${monitor}\`, which training does not report`, span,
      `${help ?? ''}${metrics.length === 0 ? ' (add metrics to the compile section to watch them)' : ''}`.trim());
  }
  if (isVal && !validation) {
    return warning('W-CALLBACK-VALIDATION', `${callback} monitors \`${monitor}\`, which needs validation data, and the fit section holds none out`, span,
      'add e.g. `validation_split=0.2` to the fit section (or pass --validation-split), or monitor the training figure `' + base + '`');
  }
  return undefined;
}

function activationMessage(loss: string, activation: string, expected: string): string {
  if (activation === 'linear') return `${loss} expects probabilities, but the output layer is linear (unbounded scores)`;
  if (activation === 'softmax' && expected === 'sigmoid') return `${loss} scores each output on its own, but softmax makes the outputs compete (they sum to 1)`;
  if (activation === 'sigmoid' && expected === 'softmax') return `${loss} expects the outputs to be a distribution over classes, but sigmoid outputs do not sum to 1`;
  return `${loss} expects probabilities from \`${expected}\`, but the output activation is \`${activation}\``;
}

function checkMetrics(metrics: readonly string[], loss: string, spanOf: (i: number) => Span | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  metrics.forEach((m, i) => {
    if (m === 'accuracy' && isRegressionLoss(loss)) {
      out.push(warning('W-METRIC-LOSS', `accuracy counts exact matches, which a regression (loss=${loss}) almost never produces`, spanOf(i), 'use `metrics=[mae]` to track the average error'));
    } else if (m === 'categorical_accuracy' && loss === 'sparse_categorical_crossentropy') {
      out.push(warning('W-METRIC-LOSS', 'categorical_accuracy expects one-hot labels, but sparse_categorical_crossentropy takes class ids', spanOf(i), 'use `sparse_categorical_accuracy` or `accuracy`'));
    } else if (m === 'sparse_categorical_accuracy' && loss === 'categorical_crossentropy') {
      out.push(warning('W-METRIC-LOSS', 'sparse_categorical_accuracy expects class ids, but categorical_crossentropy takes one-hot labels', spanOf(i), 'use `categorical_accuracy` or `accuracy`'));
    } else if (m === 'binary_accuracy' && isClassLoss(loss)) {
      out.push(warning('W-METRIC-LOSS', `binary_accuracy scores each output as yes/no, but ${loss} is a one-of-N classification`, spanOf(i), 'use `accuracy`'));
    }
  });
  return out;
}
