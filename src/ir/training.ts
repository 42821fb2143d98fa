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

/** The arguments a loss may be called with (`categorical_crossentropy(from_logits=true)`), as Keras names them. */
const fromLogits: ParamSpec = { name: 'from_logits', arg: { type: 'bool' }, default: false, doc: 'The output is logits, not probabilities.' };
export const LOSS_ARGS: Partial<Record<keyof typeof LOSSES, readonly ParamSpec[]>> = {
  binary_crossentropy: [fromLogits],
  categorical_crossentropy: [fromLogits],
  sparse_categorical_crossentropy: [fromLogits],
};

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

/**
 * The `fit` options that take more than one value type, lowered by hand
 * (src/ir/lower-sections.ts): `callbacks=[early_stopping(...), ...]` and
 * `class_weight=balanced` or `{0: 1, 1: 5}`.
 */
export const FIT_SPECIAL_OPTIONS = ['callbacks', 'class_weight'] as const;

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

/**
 * A call written as a value of a training option: a learning-rate schedule
 * (`exponential_decay(1e-3, decay_steps=1000, decay_rate=0.9)`) or a callback
 * (`early_stopping(patience=3)`). The first `positional` params may be given
 * by position, as in Keras; `lists` are params that take a list of numbers.
 */
export interface TrainingCallDef {
  kerasClass: string;
  doc: string;
  example: string;
  params: readonly ParamSpec[];
  positional: number;
  lists?: readonly { name: string; doc: string }[];
}

const initialLr: ParamSpec = { name: 'initial_learning_rate', arg: { type: 'float', exclusiveMin: 0 }, doc: 'The learning rate at step 0.' };
const decaySteps: ParamSpec = { name: 'decay_steps', arg: { type: 'int', min: 1 }, doc: 'Steps (batches) over which the rate decays.' };
const decayRate: ParamSpec = { name: 'decay_rate', arg: { type: 'float', min: 0 }, doc: 'How much the rate decays per `decay_steps`.' };
const staircase: ParamSpec = { name: 'staircase', arg: { type: 'bool' }, default: false, doc: 'Decay in whole steps of `decay_steps` instead of continuously.' };

/**
 * Keras 3's learning-rate schedules (keras.optimizers.schedules), given as an
 * optimizer's `learning_rate`. Each is a function of the optimizer's step (the
 * number of batches trained so far); src/runtime/fit/schedules.ts computes them.
 */
export const SCHEDULES: Record<string, TrainingCallDef> = {
  exponential_decay: {
    kerasClass: 'ExponentialDecay',
    doc: 'initial_learning_rate * decay_rate ^ (step / decay_steps)',
    example: 'exponential_decay(1e-3, decay_steps=1000, decay_rate=0.9)',
    params: [initialLr, decaySteps, decayRate, staircase],
    positional: 3,
  },
  cosine_decay: {
    kerasClass: 'CosineDecay',
    doc: 'Half a cosine from initial_learning_rate down to alpha * initial_learning_rate over decay_steps, after an optional linear warm-up.',
    example: 'cosine_decay(1e-3, decay_steps=10000)',
    params: [
      initialLr,
      decaySteps,
      { name: 'alpha', arg: { type: 'float', min: 0, max: 1 }, default: 0, doc: 'The final rate as a fraction of the initial one.' },
      { name: 'warmup_target', arg: { type: 'float', exclusiveMin: 0 }, optional: true, doc: 'The rate reached at the end of the warm-up; no warm-up without it.' },
      { name: 'warmup_steps', arg: { type: 'int', min: 0 }, default: 0, doc: 'Steps of linear warm-up before the decay.' },
    ],
    positional: 3,
  },
  piecewise_constant_decay: {
    kerasClass: 'PiecewiseConstantDecay',
    doc: 'values[0] up to step boundaries[0], values[1] up to boundaries[1], ..., the last value after the last boundary.',
    example: 'piecewise_constant_decay([1000, 2000], [1e-3, 5e-4, 1e-4])',
    params: [],
    positional: 2,
    lists: [
      { name: 'boundaries', doc: 'Increasing step numbers where the rate changes.' },
      { name: 'values', doc: 'The rates, one more than there are boundaries.' },
    ],
  },
  polynomial_decay: {
    kerasClass: 'PolynomialDecay',
    doc: '(initial_learning_rate - end_learning_rate) * (1 - step / decay_steps) ^ power + end_learning_rate',
    example: 'polynomial_decay(1e-3, decay_steps=10000, end_learning_rate=1e-5)',
    params: [
      initialLr,
      decaySteps,
      { name: 'end_learning_rate', arg: { type: 'float', min: 0 }, default: 0.0001, doc: 'The rate reached after decay_steps.' },
      { name: 'power', arg: { type: 'float', exclusiveMin: 0 }, default: 1, doc: 'The power of the polynomial (1: linear).' },
      { name: 'cycle', arg: { type: 'bool' }, default: false, doc: 'Start a new, longer decay after decay_steps instead of staying at the end rate.' },
    ],
    positional: 5,
  },
  inverse_time_decay: {
    kerasClass: 'InverseTimeDecay',
    doc: 'initial_learning_rate / (1 + decay_rate * step / decay_steps)',
    example: 'inverse_time_decay(1e-3, decay_steps=1000, decay_rate=0.5)',
    params: [initialLr, decaySteps, decayRate, staircase],
    positional: 3,
  },
};

const monitor = (fallback: string): ParamSpec => ({
  name: 'monitor',
  arg: { type: 'string' },
  default: fallback,
  doc: 'The figure watched: `loss`, a metric of the compile section, or either with `val_` (needs validation data).',
});
const mode: ParamSpec = {
  name: 'mode',
  arg: { type: 'enum', values: ['auto', 'min', 'max'] },
  default: 'auto',
  doc: 'Whether lower (`min`) or higher (`max`) is better; `auto` knows it for the loss and every metric.',
};

/** Keras 3's callbacks of `fit`, written in `fit callbacks=[...]`; src/runtime/fit/callbacks.ts runs them. */
export const CALLBACKS: Record<string, TrainingCallDef> = {
  early_stopping: {
    kerasClass: 'EarlyStopping',
    doc: 'Stops training when the monitored figure has not improved for `patience` epochs.',
    example: 'early_stopping(monitor=val_loss, patience=3, restore_best_weights=true)',
    params: [
      monitor('val_loss'),
      { name: 'min_delta', arg: { type: 'float', min: 0 }, default: 0, doc: 'The least change that counts as an improvement.' },
      { name: 'patience', arg: { type: 'int', min: 0 }, default: 0, doc: 'Epochs without improvement before training stops.' },
      mode,
      { name: 'baseline', arg: { type: 'float' }, optional: true, doc: 'Training stops unless the figure beats this within `patience` epochs.' },
      { name: 'restore_best_weights', arg: { type: 'bool' }, default: false, doc: 'At the end, go back to the weights of the best epoch.' },
      { name: 'start_from_epoch', arg: { type: 'int', min: 0 }, default: 0, doc: 'Epochs of warm-up before improvement is watched.' },
    ],
    positional: 0,
  },
  model_checkpoint: {
    kerasClass: 'ModelCheckpoint',
    doc: 'Saves the model after each epoch to `mlc train -o DIR`; with save_best_only=true only when the monitored figure improves.',
    example: 'model_checkpoint(save_best_only=true, monitor=val_accuracy)',
    params: [
      monitor('val_loss'),
      { name: 'save_best_only', arg: { type: 'bool' }, default: false, doc: 'Keep only the best epoch instead of the latest.' },
      mode,
      { name: 'initial_value_threshold', arg: { type: 'float' }, optional: true, doc: 'Save only once the figure beats this value.' },
    ],
    positional: 0,
  },
  reduce_lr_on_plateau: {
    kerasClass: 'ReduceLROnPlateau',
    doc: 'Multiplies the learning rate by `factor` when the monitored figure has not improved for `patience` epochs.',
    example: 'reduce_lr_on_plateau(monitor=val_loss, factor=0.5, patience=2)',
    params: [
      monitor('val_loss'),
      { name: 'factor', arg: { type: 'float', exclusiveMin: 0, exclusiveMax: 1 }, default: 0.1, doc: 'The factor the learning rate is multiplied by.' },
      { name: 'patience', arg: { type: 'int', min: 0 }, default: 10, doc: 'Epochs without improvement before the rate is reduced.' },
      mode,
      { name: 'min_delta', arg: { type: 'float', min: 0 }, default: 0.0001, doc: 'The least change that counts as an improvement.' },
      { name: 'cooldown', arg: { type: 'int', min: 0 }, default: 0, doc: 'Epochs to wait after a reduction before watching again.' },
      { name: 'min_lr', arg: { type: 'float', min: 0 }, default: 0, doc: 'The learning rate never goes below this.' },
    ],
    positional: 0,
  },
};

/**
 * Metrics for which higher is better (Keras's `_direction = "up"`); the loss
 * and every other metric are better lower. `mode=auto` of the callbacks reads this.
 */
export const HIGHER_IS_BETTER: ReadonlySet<string> = new Set([
  'accuracy', 'binary_accuracy', 'categorical_accuracy', 'sparse_categorical_accuracy',
  'top_k_categorical_accuracy', 'sparse_top_k_categorical_accuracy', 'precision', 'recall',
]);

/** `class_weight=balanced`: n_samples / (n_classes * count of the class), scikit-learn's "balanced" weights. */
export const BALANCED_CLASS_WEIGHT = 'balanced';

/** Whether a callback's monitored figure is better low or high: its `mode`, or for `auto` the figure's own direction. */
export function monitorDirection(monitor: string, mode: string): 'min' | 'max' {
  if (mode === 'min' || mode === 'max') return mode;
  return HIGHER_IS_BETTER.has(monitor.replace(/^val_/, '')) ? 'max' : 'min';
}
