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
