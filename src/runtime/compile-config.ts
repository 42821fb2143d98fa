/**
 * The `compile` section lowered to tfjs, as plain data (no TensorFlow.js
 * import) so the code generator can print exactly what the runtime runs:
 * `{loss: 'categoricalCrossentropy', optimizer: {factory: 'rmsprop', args: [0.001, 0.9, 0, 1e-7, false]}}`
 * means `model.compile({loss: 'categoricalCrossentropy', optimizer: tf.train.rmsprop(0.001, 0.9, 0, 1e-7, false)})`.
 */
import { fromLogits, isPerOutputMap, type OutputSpec } from '../ir/outputs.js';
import { monitorDirection } from '../ir/training.js';
import type { IRCompile, IRFit, IRTrainingCall } from '../ir/types.js';
import { DiagnosticError, error } from '../diagnostics/diagnostic.js';
import type { CheckpointConfig, EarlyStoppingConfig, PlateauConfig } from './fit/callbacks.js';
import { learningRateAt, type ScheduleConfig } from './fit/schedules.js';

/** Keras loss name (canonical, see src/ir/training.ts) -> tfjs-layers loss identifier. */
export const TFJS_LOSSES: Readonly<Record<string, string>> = {
  mse: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  mape: 'meanAbsolutePercentageError',
  msle: 'meanSquaredLogarithmicError',
  binary_crossentropy: 'binaryCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  hinge: 'hinge',
  squared_hinge: 'squaredHinge',
  categorical_hinge: 'categoricalHinge',
  kl_divergence: 'kullbackLeiblerDivergence',
  poisson: 'poisson',
  log_cosh: 'logcosh',
};

export interface TfOptimizerSpec {
  /** The function under `tf.train`. */
  factory: 'sgd' | 'momentum' | 'rmsprop' | 'adam' | 'adagrad' | 'adadelta' | 'adamax';
  /** Its positional arguments, in tfjs's order; with a schedule the learning rate is the schedule's at step 0. */
  args: (number | boolean)[];
  /** A Keras learning-rate schedule, applied before every batch. */
  schedule?: ScheduleConfig;
}

export interface TfCompileSpec {
  /** The tfjs loss; one per output, in the model's output order, for several outputs. */
  loss: string | string[];
  /** Several outputs: each output's weight in the total loss. */
  lossWeights?: number[];
  optimizer: TfOptimizerSpec;
  /** Keras metric names, as the spec gives them (they name the reported values); per output for several outputs. */
  metrics: string[] | string[][];
}

function fail(message: string, compile: IRCompile, key: string, help: string): never {
  throw new DiagnosticError(error('E-RUNTIME-COMPILE', message, compile.argSpans?.[key] ?? compile.span, help));
}

export function lowerOptimizer(compile: IRCompile): TfOptimizerSpec {
  const lrArg = compile.optimizer.args.learning_rate;
  const schedule = typeof lrArg === 'object' && lrArg !== null && !Array.isArray(lrArg) ? (lrArg as unknown as ScheduleConfig) : undefined;
  const spec = lowerConstantOptimizer(compile, schedule ? learningRateAt(schedule, 0) : undefined);
  return schedule ? { ...spec, schedule } : spec;
}

function lowerConstantOptimizer(compile: IRCompile, initialLr: number | undefined): TfOptimizerSpec {
  const { name, args } = compile.optimizer;
  const n = (key: string, fallback: number): number => (typeof args[key] === 'number' ? (args[key] as number) : fallback);
  const b = (key: string): boolean => args[key] === true;
  const lr = (fallback: number) => initialLr ?? n('learning_rate', fallback);
  switch (name) {
    case 'sgd': {
      const momentum = n('momentum', 0);
      // tf.train.sgd has no momentum; tf.train.momentum is SGD with momentum (and Nesterov).
      return momentum > 0 || b('nesterov')
        ? { factory: 'momentum', args: [lr(0.01), momentum, b('nesterov')] }
        : { factory: 'sgd', args: [lr(0.01)] };
    }
    case 'rmsprop':
      return { factory: 'rmsprop', args: [lr(0.001), n('rho', 0.9), n('momentum', 0), n('epsilon', 1e-7), b('centered')] };
    case 'adam':
      if (b('amsgrad')) fail('TensorFlow.js has no AMSGrad variant of adam', compile, 'optimizer', 'remove `amsgrad=true`');
      return { factory: 'adam', args: [lr(0.001), n('beta_1', 0.9), n('beta_2', 0.999), n('epsilon', 1e-7)] };
    case 'adagrad':
      return { factory: 'adagrad', args: [lr(0.001), n('initial_accumulator_value', 0.1)] };
    case 'adadelta':
      return { factory: 'adadelta', args: [lr(0.001), n('rho', 0.95), n('epsilon', 1e-7)] };
    case 'adamax':
      return { factory: 'adamax', args: [lr(0.001), n('beta_1', 0.9), n('beta_2', 0.999), n('epsilon', 1e-7), 0] };
    default:
      return fail(`optimizer \`${name}\` cannot run on TensorFlow.js`, compile, 'optimizer',
        'use one of: sgd, rmsprop, adam, adagrad, adadelta, adamax');
  }
}

/**
 * Losses called with `from_logits=true`: mlc's own (src/runtime/custom-layers/losses.ts),
 * by the name customLosses() gives them.
 */
export const FROM_LOGITS_LOSSES: Readonly<Record<string, string>> = {
  categorical_crossentropy: 'categoricalCrossentropyFromLogits',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropyFromLogits',
  binary_crossentropy: 'binaryCrossentropyFromLogits',
};

/** Whether a lowered loss name is one of mlc's own, not a tfjs-layers loss. */
export function isCustomLoss(name: string): boolean {
  return Object.values(FROM_LOGITS_LOSSES).includes(name);
}

/** The compile section of a model with the given outputs (by default, one output with the section's single loss). */
export function lowerCompile(compile: IRCompile, outputs: OutputSpec[] = [singleOutput(compile)]): TfCompileSpec {
  const losses = outputs.map((o) => {
    const loss = fromLogits(o) ? FROM_LOGITS_LOSSES[o.loss] : TFJS_LOSSES[o.loss];
    return loss ?? fail(`loss \`${o.loss}\` cannot run on TensorFlow.js`, compile, 'loss', `use one of: ${Object.keys(TFJS_LOSSES).join(', ')}`);
  });
  const optimizer = lowerOptimizer(compile);
  if (outputs.length === 1) return { loss: losses[0], optimizer, metrics: [...outputs[0].metrics] };
  return { loss: losses, lossWeights: outputs.map((o) => o.weight), optimizer, metrics: outputs.map((o) => [...o.metrics]) };
}

function singleOutput(compile: IRCompile): OutputSpec {
  if (isPerOutputMap(compile.loss) || isPerOutputMap(compile.metrics)) {
    fail('a loss or metrics map needs the model\'s outputs', compile, 'loss', 'lower the whole IR (lowerCompile with its outputs)');
  }
  return { id: '', name: '', loss: compile.loss as string, weight: 1, metrics: compile.metrics as string[] };
}

/** The fit section's callbacks as the configs of ./fit/callbacks.ts, with `mode=auto` resolved; shared by `mlc train` and the emitted code. */
export interface CallbackConfigs {
  earlyStopping?: EarlyStoppingConfig;
  checkpoint?: CheckpointConfig;
  reduceLrOnPlateau?: PlateauConfig;
}

export function callbackConfigs(fit: IRFit | undefined): CallbackConfigs {
  const find = (name: string): IRTrainingCall | undefined => fit?.callbacks?.find((c) => c.name === name);
  const direction = (c: IRTrainingCall) => monitorDirection(c.args.monitor as string, c.args.mode as string);
  const optional = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const out: CallbackConfigs = {};
  const es = find('early_stopping');
  if (es) {
    out.earlyStopping = {
      monitor: es.args.monitor as string, direction: direction(es), minDelta: es.args.min_delta as number, patience: es.args.patience as number,
      ...(optional(es.args.baseline) === undefined ? {} : { baseline: optional(es.args.baseline) }),
      restoreBestWeights: es.args.restore_best_weights === true, startFromEpoch: es.args.start_from_epoch as number,
    };
  }
  const mc = find('model_checkpoint');
  if (mc) {
    out.checkpoint = {
      monitor: mc.args.monitor as string, direction: direction(mc), saveBestOnly: mc.args.save_best_only === true,
      ...(optional(mc.args.initial_value_threshold) === undefined ? {} : { initialValueThreshold: optional(mc.args.initial_value_threshold) }),
    };
  }
  const rp = find('reduce_lr_on_plateau');
  if (rp) {
    out.reduceLrOnPlateau = {
      monitor: rp.args.monitor as string, direction: direction(rp), factor: rp.args.factor as number, patience: rp.args.patience as number,
      minDelta: rp.args.min_delta as number, cooldown: rp.args.cooldown as number, minLr: rp.args.min_lr as number,
    };
  }
  return out;
}
