/**
 * The `compile` section lowered to tfjs, as plain data (no TensorFlow.js
 * import) so the code generator can print exactly what the runtime runs:
 * `{loss: 'categoricalCrossentropy', optimizer: {factory: 'rmsprop', args: [0.001, 0.9, 0, 1e-7, false]}}`
 * means `model.compile({loss: 'categoricalCrossentropy', optimizer: tf.train.rmsprop(0.001, 0.9, 0, 1e-7, false)})`.
 */
import { isPerOutputMap, type OutputSpec } from '../ir/outputs.js';
import type { IRCompile } from '../ir/types.js';
import { DiagnosticError, error } from '../diagnostics/diagnostic.js';

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
  /** Its positional arguments, in tfjs's order. */
  args: (number | boolean)[];
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
  const { name, args } = compile.optimizer;
  const n = (key: string, fallback: number): number => (typeof args[key] === 'number' ? (args[key] as number) : fallback);
  const b = (key: string): boolean => args[key] === true;
  const lr = (fallback: number) => n('learning_rate', fallback);
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

/** The compile section of a model with the given outputs (by default, one output with the section's single loss). */
export function lowerCompile(compile: IRCompile, outputs: OutputSpec[] = [singleOutput(compile)]): TfCompileSpec {
  const losses = outputs.map((o) => {
    const loss = TFJS_LOSSES[o.loss];
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
