/**
 * The names the `compile` and `fit` sections accept, as Keras spells them,
 * with their DSL aliases and the Keras defaults. Shared by lowering (defaults,
 * aliases), the IR schema (enums, ranges) and the compile checks.
 */
import type { ParamSpec } from '../layers/types.js';
import type { LabelMode } from '../runtime/data/types.js';

/** Canonical loss name -> aliases that mean the same loss. */
export const LOSSES = {
  mse: ['mean_squared_error'],
  mae: ['mean_absolute_error'],
  mape: ['mean_absolute_percentage_error'],
  msle: ['mean_squared_logarithmic_error'],
  binary_crossentropy: [],
  categorical_crossentropy: [],
  sparse_categorical_crossentropy: [],
  hinge: [],
  squared_hinge: [],
  categorical_hinge: [],
  kl_divergence: ['kld', 'kullback_leibler_divergence'],
  poisson: [],
  log_cosh: ['logcosh'],
} satisfies Record<string, readonly string[]>;

/**
 * What each loss expects: how its labels are encoded, and for the losses
 * that take the log of probabilities, the output activation that makes them
 * (softmax over classes, sigmoid for yes/no outputs).
 */
export const LOSS_FACTS = {
  mse: { labels: 'regression' },
  mae: { labels: 'regression' },
  mape: { labels: 'regression' },
  msle: { labels: 'regression' },
  binary_crossentropy: { labels: 'binary', probabilities: 'sigmoid' },
  categorical_crossentropy: { labels: 'onehot', probabilities: 'softmax' },
  sparse_categorical_crossentropy: { labels: 'sparse', probabilities: 'softmax' },
  hinge: { labels: 'binary' },
  squared_hinge: { labels: 'binary' },
  categorical_hinge: { labels: 'onehot' },
  kl_divergence: { labels: 'onehot' },
  poisson: { labels: 'regression' },
  log_cosh: { labels: 'regression' },
} satisfies Record<keyof typeof LOSSES, { labels: LabelMode; probabilities?: 'softmax' | 'sigmoid' }>;

function lossFacts(loss: string): { labels: LabelMode; probabilities?: 'softmax' | 'sigmoid' } | undefined {
  return (LOSS_FACTS as Record<string, { labels: LabelMode; probabilities?: 'softmax' | 'sigmoid' }>)[loss];
}

/** The label encoding of a canonical loss name; regression for anything else. */
export function labelModeFor(loss: string): LabelMode {
  return lossFacts(loss)?.labels ?? 'regression';
}

/** The output activation a probability loss expects (softmax, sigmoid), if it is one. */
export function probabilityActivation(loss: string): 'softmax' | 'sigmoid' | undefined {
  return lossFacts(loss)?.probabilities;
}

/** Canonical metric name -> aliases. */
export const METRICS: Record<string, readonly string[]> = {
  accuracy: ['acc'],
  binary_accuracy: [],
  categorical_accuracy: [],
  sparse_categorical_accuracy: [],
  top_k_categorical_accuracy: [],
  sparse_top_k_categorical_accuracy: [],
  mse: ['mean_squared_error'],
  mae: ['mean_absolute_error'],
  mape: ['mean_absolute_percentage_error'],
  msle: ['mean_squared_logarithmic_error'],
  binary_crossentropy: [],
  categorical_crossentropy: [],
  sparse_categorical_crossentropy: [],
  precision: [],
  recall: [],
};

const lr = (value: number): ParamSpec => ({
  name: 'learning_rate',
  arg: { type: 'float', exclusiveMin: 0 },
  default: value,
  aliases: ['lr'],
  doc: 'Step size of each update.',
});
const epsilon: ParamSpec = { name: 'epsilon', arg: { type: 'float', exclusiveMin: 0 }, default: 1e-7, doc: 'Small constant for numerical stability.' };
const beta1: ParamSpec = { name: 'beta_1', arg: { type: 'float', min: 0, exclusiveMax: 1 }, default: 0.9, doc: 'Decay rate of the first-moment estimates.' };
const beta2: ParamSpec = { name: 'beta_2', arg: { type: 'float', min: 0, exclusiveMax: 1 }, default: 0.999, doc: 'Decay rate of the second-moment estimates.' };
const momentum: ParamSpec = { name: 'momentum', arg: { type: 'float', min: 0, max: 1 }, default: 0, doc: 'Momentum of the updates.' };

/** Each optimizer's Keras arguments and defaults (keras.optimizers.*); `learning_rate` first, as in Keras's positional order. */
export const OPTIMIZERS: Record<string, readonly ParamSpec[]> = {
  sgd: [lr(0.01), momentum, { name: 'nesterov', arg: { type: 'bool' }, default: false, doc: 'Use Nesterov momentum.' }],
  rmsprop: [
    lr(0.001),
    { name: 'rho', arg: { type: 'float', min: 0, exclusiveMax: 1 }, default: 0.9, doc: 'Discounting factor of the gradient history.' },
    momentum,
    epsilon,
    { name: 'centered', arg: { type: 'bool' }, default: false, doc: 'Normalize by the estimated variance of the gradient.' },
  ],
  adam: [lr(0.001), beta1, beta2, epsilon, { name: 'amsgrad', arg: { type: 'bool' }, default: false, doc: 'Use the AMSGrad variant.' }],
  adagrad: [
    lr(0.001),
    { name: 'initial_accumulator_value', arg: { type: 'float', min: 0 }, default: 0.1, doc: 'Starting value of the accumulators.' },
    epsilon,
  ],
  adadelta: [lr(0.001), { name: 'rho', arg: { type: 'float', min: 0, exclusiveMax: 1 }, default: 0.95, doc: 'Decay rate.' }, epsilon],
  adamax: [lr(0.001), beta1, beta2, epsilon],
};

/** Keras's `compile()` default optimizer. */
export const DEFAULT_OPTIMIZER = 'rmsprop';

/** The options of the `fit` section, as Keras's `fit()` names them. */
export const FIT_OPTIONS: readonly ParamSpec[] = [
  { name: 'epochs', arg: { type: 'int', min: 1 }, default: 1, doc: 'Passes over the training data.' },
  { name: 'batch_size', arg: { type: 'int', min: 1 }, default: 32, aliases: ['batch'], doc: 'Samples per gradient update.' },
  { name: 'validation_split', arg: { type: 'float', min: 0, exclusiveMax: 1 }, default: 0, doc: 'Fraction of the training data held out for validation.' },
  { name: 'shuffle', arg: { type: 'bool' }, default: true, doc: 'Shuffle the training data before each epoch.' },
  { name: 'seed', arg: { type: 'int', min: 0 }, optional: true, doc: 'Random seed for weight initialisation, shuffling and the split.' },
];

/** The canonical name for `name` in a table of canonical names and aliases, or undefined. */
export function canonicalName(table: Record<string, readonly string[]>, name: string): string | undefined {
  if (Object.hasOwn(table, name)) return name;
  for (const [canonical, aliases] of Object.entries(table)) if (aliases.includes(name)) return canonical;
  return undefined;
}

/** Every name in a table, canonical and alias, for suggestions. */
export function allNames(table: Record<string, readonly string[]>): string[] {
  return Object.entries(table).flatMap(([canonical, aliases]) => [canonical, ...aliases]);
}
