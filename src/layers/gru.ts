import { argError } from './result.js';
import { recurrentActivationOption, recurrentDef } from './recurrent.js';

export const gru = recurrentDef({
  kind: 'gru',
  kerasClass: 'GRU',
  tfjsFactory: 'gru',
  gates: 3,
  doc: 'Gated recurrent unit: a lighter LSTM with update and reset gates (the reset_after=false variant that TensorFlow.js runs).',
  example: 'gru 64 return_sequences=true',
  options: [
    recurrentActivationOption,
    {
      name: 'reset_after',
      arg: { type: 'bool' },
      default: false,
      doc: 'Where the reset gate applies; only false (Keras 2\'s original GRU) runs on TensorFlow.js. Kept in the IR so Keras output states it.',
    },
  ],
  check: (node) =>
    node.args.reset_after === true
      ? argError(node, 'gru reset_after=true is not supported: TensorFlow.js only runs the reset_after=false GRU',
          'remove `reset_after=true` (the default is false)', 'reset_after')
      : undefined,
});
