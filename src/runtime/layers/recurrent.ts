/** SimpleRNN, LSTM and GRU share their configuration; only the gated ones have a recurrent activation. */
import { bool, kernelInitializers, num, tfActivation } from './common.js';
import type { Lowering } from './types.js';

export function recurrentLowering(factory: 'simpleRNN' | 'lstm' | 'gru', gated: boolean): Lowering {
  return (node, ctx) => ({
    factory,
    config: {
      units: num(node, 'units'),
      activation: tfActivation(node, 'activation', 'tanh'),
      // Keras's default is sigmoid; tfjs's is hardSigmoid, so it is always spelled out.
      ...(gated ? { recurrentActivation: tfActivation(node, 'recurrent_activation', 'sigmoid') } : {}),
      useBias: bool(node, 'use_bias', true),
      returnSequences: bool(node, 'return_sequences', false),
      ...kernelInitializers(ctx, true),
      name: node.name,
    },
  });
}
