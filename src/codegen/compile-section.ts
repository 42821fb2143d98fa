/**
 * compileModel(): the spec's compile section. The loss and optimizer come from
 * the runtime's own lowering (src/runtime/compile-config.ts), printed as code.
 */
import { warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import { outputSpecs } from '../ir/outputs.js';
import { canonicalName, METRICS } from '../ir/training.js';
import type { IR, IRCompile } from '../ir/types.js';
import { isCustomLoss, lowerCompile, type TfOptimizerSpec } from '../runtime/compile-config.js';
import { DiagnosticError } from '../diagnostics/diagnostic.js';
import { unsupported } from './diagnostics.js';
import { printNumber, printValue } from './literal.js';
import type { Section } from './model-section.js';
import type { SourceComments } from './source-comments.js';

/** tfjs's parameter names of each optimizer factory, printed above the call because its arguments are positional. */
const OPTIMIZER_PARAMS: Record<TfOptimizerSpec['factory'], string[]> = {
  sgd: ['learningRate'],
  momentum: ['learningRate', 'momentum', 'useNesterov'],
  rmsprop: ['learningRate', 'decay', 'momentum', 'epsilon', 'centered'],
  adam: ['learningRate', 'beta1', 'beta2', 'epsilon'],
  adagrad: ['learningRate', 'initialAccumulatorValue'],
  adadelta: ['learningRate', 'rho', 'epsilon'],
  adamax: ['learningRate', 'beta1', 'beta2', 'epsilon', 'decay'],
};

/**
 * Keras metric (canonical name) -> what tfjs's compile() takes. Strings where
 * tfjs knows the name (`accuracy` is then resolved from the loss and output
 * shape exactly as Keras does), the metric function otherwise.
 */
const TFJS_METRICS: Record<string, string> = {
  accuracy: "'accuracy'",
  binary_accuracy: "'binaryAccuracy'",
  categorical_accuracy: "'categoricalAccuracy'",
  sparse_categorical_accuracy: 'tf.metrics.sparseCategoricalAccuracy',
  mse: "'mse'",
  mae: "'mae'",
  mape: "'mape'",
  binary_crossentropy: 'tf.metrics.binaryCrossentropy',
  categorical_crossentropy: "'categoricalCrossentropy'",
  sparse_categorical_crossentropy: "'sparseCategoricalCrossentropy'",
  precision: "'precision'",
  recall: 'tf.metrics.recall',
};

function printOptimizer(spec: TfOptimizerSpec): string {
  const args = spec.args.map((a) => (typeof a === 'number' ? printNumber(a) : String(a)));
  return `tf.train.${spec.factory}(${args.join(', ')})`;
}

/** The metrics tfjs's compile() gets: their code, and the names mlc reports them by, in the same order. */
function metricsCode(compile: IRCompile, names: readonly string[], diagnostics: Diagnostic[]): { code: string; name: string }[] {
  const out: { code: string; name: string }[] = [];
  for (const name of names) {
    const canonical = canonicalName(METRICS, name) ?? name;
    const code = TFJS_METRICS[canonical];
    if (code === undefined) {
      diagnostics.push(warning('W-EMIT-METRIC', `metric \`${name}\` has no TensorFlow.js equivalent; the emitted code leaves it out`,
        compile.argSpans?.metrics ?? compile.span, `TensorFlow.js reports: ${Object.keys(TFJS_METRICS).join(', ')}`));
    } else {
      out.push({ code, name: canonical });
    }
  }
  return out;
}

export function compileSection(ir: IR, comments: SourceComments): Section & { metricNames: string[]; usesCustomLosses?: boolean } {
  const diagnostics: Diagnostic[] = [];
  const compile = ir.compile;
  if (compile === undefined) {
    diagnostics.push(unsupported('the spec has no `compile` section, so the emitted code would not know how to train it',
      undefined, 'add a line such as `compile loss=categorical_crossentropy optimizer=adam metrics=[accuracy]`'));
    return { code: '', diagnostics, metricNames: [] };
  }
  let lowered;
  try {
    lowered = lowerCompile(compile, outputSpecs(ir));
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    return { code: '', diagnostics: e.diagnostics, metricNames: [] };
  }
  if (lowered.lossWeights?.some((w) => w !== 1)) {
    diagnostics.push(warning('W-EMIT-LOSS-WEIGHTS', 'TensorFlow.js\'s model.compile has no loss weights, so the emitted compileModel() weighs every output 1',
      compile.argSpans?.loss_weights ?? compile.span, '`mlc train` applies the loss weights in its own training loop'));
  }
  // Several outputs: metrics keyed by the output layers' names (tfjs's output names). tfjs-layers takes a
  // list of metrics per output (its collectMetrics), though its type admits one: hence the cast.
  const layerNames = ir.outputs.map((id) => ir.nodes.find((n) => n.id === id)?.name ?? id);
  const perOutput = typeof lowered.metrics[0] === 'object' ? (lowered.metrics as string[][]).map((names) => metricsCode(compile, names, diagnostics)) : undefined;
  const single = perOutput ? [] : metricsCode(compile, lowered.metrics as string[], diagnostics);
  const list = (ms: { code: string }[]) => `[${ms.map((m) => m.code).join(', ')}]`;
  const metrics = perOutput
    ? `{ ${perOutput.map((ms, i) => `${printValue(layerNames[i])}: ${list(ms)}`).join(', ')} } as unknown as tf.ModelCompileArgs['metrics']`
    : list(single);
  // A from_logits loss is one of mlc's own, copied with its layers into mlc-layers/.
  const losses = Array.isArray(lowered.loss) ? lowered.loss : [lowered.loss];
  const usesCustomLosses = losses.some(isCustomLoss);
  const one = (l: string) => (isCustomLoss(l) ? `customLosses(tf).${l}` : printValue(l));
  const lossCode = Array.isArray(lowered.loss) ? `[${lowered.loss.map(one).join(', ')}]` : one(lowered.loss);
  const params = OPTIMIZER_PARAMS[lowered.optimizer.factory];
  const code = [
    '/** The spec\'s compile section: loss, optimizer (with its arguments) and metrics. */',
    'export function compileModel(model: tf.LayersModel): void {',
    `${comments.above(compile.span)}model.compile({`,
    `loss: ${lossCode},`,
    `// tf.train.${lowered.optimizer.factory}(${params.join(', ')})${lowered.optimizer.schedule ? `; the learning rate is SCHEDULE's at step 0, and train() sets it from SCHEDULE before every batch` : ''}`,
    `optimizer: ${printOptimizer(lowered.optimizer)},`,
    `metrics: ${metrics},`,
    '});',
    '}',
  ].join('\n');
  return { code, diagnostics, metricNames: (perOutput?.flat() ?? single).map((m) => m.name), usesCustomLosses };
}
