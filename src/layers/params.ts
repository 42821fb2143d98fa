/** ParamSpecs that several kinds share, so each is declared once with its Keras name, aliases and doc. */
import { ACTIVATIONS } from './activations.js';
import type { ParamSpec } from './types.js';

/** The optional trailing activation positional (`dense 10 softmax`). */
export function activationParam(defaultActivation = 'linear'): ParamSpec {
  return { name: 'activation', arg: { type: 'enum', values: ACTIVATIONS }, default: defaultActivation, doc: 'Activation applied to the output.' };
}

export const useBiasOption: ParamSpec = { name: 'use_bias', arg: { type: 'bool' }, default: true, doc: 'Whether to add a bias vector.' };

export const paddingOption: ParamSpec = {
  name: 'padding',
  arg: { type: 'enum', values: ['valid', 'same'] },
  default: 'valid',
  doc: '`valid`: no padding, the output shrinks; `same`: zero-pad so that output = ceil(input / stride).',
};

/** `rank` positive integers; `5` is widened to `5x5` for rank 2. */
export function tupleArg(rank: number) {
  return { type: 'tuple', length: rank, min: 1 } as const;
}

export function stridesOption(rank: number): ParamSpec {
  return { name: 'strides', aliases: ['stride'], arg: tupleArg(rank), default: Array(rank).fill(1), doc: 'Step of the window along each spatial axis.' };
}

export function dilationOption(rank: number): ParamSpec {
  return {
    name: 'dilation_rate',
    aliases: ['dilation'],
    arg: tupleArg(rank),
    default: Array(rank).fill(1),
    doc: 'Spacing between kernel taps (atrous convolution); cannot be combined with strides > 1.',
  };
}

export const epsilonOption: ParamSpec = {
  name: 'epsilon',
  arg: { type: 'float', exclusiveMin: 0 },
  default: 0.001,
  doc: 'Small constant added to the variance to avoid dividing by zero.',
};

/** The normalised axis; Keras's default -1 is the last (channel) axis. */
export const axisOption: ParamSpec = { name: 'axis', arg: { type: 'int' }, default: -1, doc: 'The axis to normalise (-1: the last, channel axis).' };

/**
 * `trainable=false` freezes a layer, as Keras's `trainable=False`: its
 * weights count as non-trainable and training leaves them as they are.
 * Optional (absent means trainable) so that an IR only says it when written.
 */
export const trainableOption: ParamSpec = {
  name: 'trainable',
  arg: { type: 'bool' },
  optional: true,
  doc: '`false` freezes the layer: its weights count as non-trainable and training leaves them unchanged.',
};

/**
 * `activity_regularizer=l1(1e-5)`: a penalty on the layer's output, added to
 * the loss each time the layer runs, as Keras 3 adds it (l1·Σ|y| + l2·Σy²
 * over the batch, not divided by its size). Optional, like trainable.
 */
export const activityRegularizerOption: ParamSpec = {
  name: 'activity_regularizer',
  arg: { type: 'regularizer' },
  optional: true,
  doc: 'Penalty on the layer\'s output added to the loss: `l1(1e-5)` adds 1e-5·Σ|y| over the batch, `l2(...)` l2·Σy², `l1_l2(...)` both.',
};

/** Options every layer kind takes besides `name` (base-Layer arguments in Keras): declared here once, not per kind. */
export const COMMON_OPTIONS: readonly ParamSpec[] = [trainableOption, activityRegularizerOption];

/**
 * Keras's initializers by their Keras names (keras.initializers), those both
 * engines draw as Keras does: src/targets/tfjs/index.ts and the torch
 * runtime's keras_initializer (src/targets/torch/runtime-py.ts) say how.
 */
export const INITIALIZERS = [
  'glorot_uniform', 'glorot_normal', 'he_normal', 'he_uniform', 'lecun_normal', 'lecun_uniform',
  'orthogonal', 'random_normal', 'random_uniform', 'truncated_normal', 'zeros', 'ones',
] as const;
export type InitializerName = (typeof INITIALIZERS)[number];

/** Optional, with Keras's default named in the doc: an IR says an initializer only when the spec chose one. */
function initializerOption(name: string, weight: string, kerasDefault: InitializerName | 'uniform(-0.05, 0.05)'): ParamSpec {
  return {
    name,
    arg: { type: 'enum', values: INITIALIZERS },
    optional: true,
    doc: `How the ${weight} starts (Keras's default: \`${kerasDefault}\`).`,
  };
}

export const kernelInitializerOption = initializerOption('kernel_initializer', 'kernel', 'glorot_uniform');
export const biasInitializerOption = initializerOption('bias_initializer', 'bias', 'zeros');
export const recurrentInitializerOption = initializerOption('recurrent_initializer', 'recurrent kernel', 'orthogonal');
export const embeddingsInitializerOption = initializerOption('embeddings_initializer', 'embedding table', 'uniform(-0.05, 0.05)');
export const depthwiseInitializerOption = initializerOption('depthwise_initializer', 'depthwise kernel', 'glorot_uniform');
export const pointwiseInitializerOption = initializerOption('pointwise_initializer', 'pointwise kernel', 'glorot_uniform');

/** `l2(1e-4)`, `l1(0.01)`, `l1_l2(l1=..., l2=...)`: added to the loss while training, as in Keras. */
function regularizerOption(name: string, weight: string): ParamSpec {
  return {
    name,
    arg: { type: 'regularizer' },
    optional: true,
    doc: `Penalty on the ${weight} added to the loss: \`l2(1e-4)\` adds 1e-4·Σw², \`l1(...)\` l1·Σ|w|, \`l1_l2(l1=..., l2=...)\` both.`,
  };
}

export const kernelRegularizerOption = regularizerOption('kernel_regularizer', 'kernel');
export const biasRegularizerOption = regularizerOption('bias_regularizer', 'bias');
export const recurrentRegularizerOption = regularizerOption('recurrent_regularizer', 'recurrent kernel');
export const embeddingsRegularizerOption = regularizerOption('embeddings_regularizer', 'embedding table');
export const depthwiseRegularizerOption = regularizerOption('depthwise_regularizer', 'depthwise kernel');
export const pointwiseRegularizerOption = regularizerOption('pointwise_regularizer', 'pointwise kernel');

/** The options of a kind with a kernel and a bias (Dense, Conv*, Conv*Transpose; the recurrent layers add their own). */
export const kernelWeightOptions: readonly ParamSpec[] = [kernelInitializerOption, biasInitializerOption, kernelRegularizerOption, biasRegularizerOption];

/** DepthwiseConv2D's, in Keras 3's order: its kernel is the depthwise kernel. */
export const depthwiseWeightOptions: readonly ParamSpec[] = [depthwiseInitializerOption, biasInitializerOption, depthwiseRegularizerOption, biasRegularizerOption];

/** SeparableConv2D's, in Keras 3's order: a depthwise and a pointwise kernel. */
export const separableWeightOptions: readonly ParamSpec[] = [
  depthwiseInitializerOption, pointwiseInitializerOption, biasInitializerOption,
  depthwiseRegularizerOption, pointwiseRegularizerOption, biasRegularizerOption,
];

/**
 * Keras's regularizers (keras.regularizers), each a function of its
 * arguments with Keras's defaults. In the IR every one is {l1, l2}: l1·Σ|w| +
 * l2·Σw² (Keras 3's L2 has no ½).
 */
export const REGULARIZERS: Record<string, { params: readonly string[]; defaults: { l1: number; l2: number } }> = {
  l1: { params: ['l1'], defaults: { l1: 0.01, l2: 0 } },
  l2: { params: ['l2'], defaults: { l1: 0, l2: 0.01 } },
  l1_l2: { params: ['l1', 'l2'], defaults: { l1: 0, l2: 0 } },
};
