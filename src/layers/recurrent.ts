/**
 * The rule shared by simplernn, lstm and gru: a cell with `gates` weight
 * blocks (1, 4 and 3) applied at every time step of (batch, timesteps, features).
 */
import { ACTIVATIONS } from './activations.js';
import {
  activationParam, biasInitializerOption, biasRegularizerOption, kernelInitializerOption, kernelRegularizerOption,
  recurrentInitializerOption, recurrentRegularizerOption, useBiasOption,
} from './params.js';
import { checkLastKnown, checkRank, success, weight, type InferFailure } from './result.js';
import { sequenceReshape } from './shape.js';
import type { InferInput, LayerDef, ParamSpec } from './types.js';
import type { IRNode } from '../ir/types.js';
import { bool, num, tfActivation, weightOptions, type TfConfigValue, type TfjsLowering } from '../targets/tfjs/index.js';
import * as onnx from '../targets/onnx/index.js';
import { torchRecurrent } from '../targets/torch/lowering.js';

export interface RecurrentMeta {
  kind: string;
  kerasClass: string;
  /** Weight blocks per cell: SimpleRNN 1, GRU 3 (z, r, h), LSTM 4 (i, f, c, o). */
  gates: number;
  doc: string;
  example: string;
  /** Kind-specific options, after the shared ones. */
  options?: readonly ParamSpec[];
  /** The tfjs lowering; by default the tfjs-layers factory of the same name (see recurrentTfjs). */
  tfjs: TfjsLowering;
  /** Rows of the bias: 1, or 2 for Keras 3's GRU with reset_after (an input and a recurrent bias). */
  biasRows?: (node: IRNode) => number;
  /** Kind-specific argument checks, run before the shape rule. */
  check?: (node: IRNode) => InferFailure | undefined;
}

export const returnSequencesOption: ParamSpec = {
  name: 'return_sequences',
  arg: { type: 'bool' },
  default: false,
  doc: 'Output every time step (batch, timesteps, units) instead of only the last (batch, units); needed to stack recurrent layers.',
};

/**
 * Keras's default gate activation is sigmoid; tfjs-layers' is hard_sigmoid.
 * The IR always carries the value, so both run the same function.
 */
export const recurrentActivationOption: ParamSpec = {
  name: 'recurrent_activation',
  arg: { type: 'enum', values: ACTIVATIONS },
  default: 'sigmoid',
  doc: 'Activation of the gates.',
};

const rate = (name: string, doc: string): ParamSpec => ({ name, arg: { type: 'float', min: 0, exclusiveMax: 1 }, default: 0, doc });

/** Keras's dropout arguments of every recurrent layer; active only while training. */
export const recurrentDropoutOptions: readonly ParamSpec[] = [
  rate('dropout', 'Fraction of the inputs dropped while training (one mask per sequence).'),
  rate('recurrent_dropout', 'Fraction of the recurrent state dropped while training (one mask per sequence).'),
];

export function recurrentDef(meta: RecurrentMeta): LayerDef {
  return {
    kind: meta.kind,
    aliases: [],
    kerasClass: meta.kerasClass,
    doc: meta.doc,
    example: meta.example,
    positional: [
      { name: 'units', arg: { type: 'int', min: 1 }, doc: 'Size of the hidden state (and of the output per step).' },
      activationParam('tanh'),
    ],
    options: [
      returnSequencesOption, useBiasOption, ...recurrentDropoutOptions,
      kernelInitializerOption, recurrentInitializerOption, biasInitializerOption,
      kernelRegularizerOption, recurrentRegularizerOption, biasRegularizerOption,
      ...(meta.options ?? []),
    ],
    arity: 1,
    outputRank: (_ranks, args) => (args.return_sequences === true ? 3 : 2),
    infer(node, [input]) {
      const bad = meta.check?.(node) ?? checkSequence(node, input) ?? checkLastKnown(node, input, 'feature');
      if (bad) return bad;
      const units = node.args.units as number;
      const [, steps, features] = input.shape as [null, number | null, number];
      const width = meta.gates * units;
      const weights = [weight('kernel', [features, width]), weight('recurrent_kernel', [units, width])];
      const rows = meta.biasRows?.(node) ?? 1;
      if (node.args.use_bias as boolean) weights.push(weight('bias', rows === 1 ? [width] : [rows, width]));
      // Per step, the input and the previous state are multiplied by their
      // kernels; an unknown (`?`) length counts one step.
      const macs = (steps ?? 1) * width * (features + units);
      const outputShape = node.args.return_sequences ? [null, steps, units] : [null, units];
      return success(outputShape, weights, macs);
    },
    targets: {
      tfjs: meta.tfjs,
      torch: torchRecurrent(meta.kind),
      // ONNX's RNN, LSTM and GRU ops, or a Scan over the Keras cell (src/targets/onnx/recurrent.ts).
      onnx: (node, ctx) => onnx.recurrentOnnx(node, ctx),
    },
  };
}

/**
 * SimpleRNN, LSTM and GRU share their tfjs configuration (tfjs-layers' and
 * mlc's own GRU take the same one); only the gated ones have a recurrent activation.
 */
export function recurrentTfjs(factory: string, gated: boolean, extra: Record<string, TfConfigValue> = {}): TfjsLowering {
  return (node, ctx) => ({
    factory,
    config: {
      units: num(node, 'units'),
      activation: tfActivation(node),
      // Keras's default is sigmoid; tfjs's is hardSigmoid, so it is always spelled out.
      ...(gated ? { recurrentActivation: tfActivation(node, 'recurrent_activation') } : {}),
      useBias: bool(node, 'use_bias'),
      returnSequences: bool(node, 'return_sequences'),
      // Written only when used, so a model without dropout keeps tfjs's plain config.
      ...(num(node, 'dropout') > 0 ? { dropout: num(node, 'dropout') } : {}),
      ...(num(node, 'recurrent_dropout') > 0 ? { recurrentDropout: num(node, 'recurrent_dropout') } : {}),
      ...weightOptions(node, ctx, ['kernel', 'recurrent', 'bias']),
      ...extra,
      name: node.name,
    },
  });
}

function checkSequence(node: IRNode, input: InferInput): InferFailure | undefined {
  return checkRank(node, input, 3, '(batch, timesteps, features)', sequenceHelp(input));
}

function sequenceHelp(input: InferInput): string {
  const embed = 'add `embedding VOCAB 64` before it to turn token ids into vectors';
  if (input.shape.length === 2 && input.dtype === 'int32') return embed;
  const guess = sequenceReshape(input.shape);
  if (input.shape.length === 2 && guess) {
    const n = input.shape[1];
    return `add \`reshape ${guess}\` before it to read the values as ${n} steps of 1 feature, or, for token ids, declare \`input ${n} int32\` and ${embed}`;
  }
  return guess
    ? `add \`reshape ${guess}\` before it (rows as time steps)`
    : 'add a `reshape STEPSxFEATURES` before it, or `embedding VOCAB 64` for token ids';
}
