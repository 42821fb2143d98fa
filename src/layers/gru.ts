import { recurrentActivationOption, recurrentDef, recurrentTfjs } from './recurrent.js';
import { seedOption, type TfjsLowering } from '../targets/tfjs/index.js';

// tfjs-layers 4.22 runs only reset_after=false; Keras 3's default form runs on mlc's own
// GRU layer (src/runtime/custom-layers/gru.ts), which also seeds its dropout masks.
const keras3Gru = recurrentTfjs('gru', true);
const tfjsGru = recurrentTfjs('gru', true);
const tfjs: TfjsLowering = (node, ctx) => {
  if (node.args.reset_after === false) return tfjsGru(node, ctx);
  const spec = keras3Gru(node, ctx);
  return { ...spec, custom: true, config: { ...spec.config, resetAfter: true, ...seedOption(ctx) } };
};

export const gru = recurrentDef({
  kind: 'gru',
  kerasClass: 'GRU',
  tfjs,
  gates: 3,
  // Keras 3 (and TF2) apply the reset gate after the recurrent product, with a second bias row.
  biasRows: (node) => (node.args.reset_after === false ? 1 : 2),
  doc: 'Gated recurrent unit, as Keras 3 builds it: update and reset gates, the reset gate applied after the recurrent product (reset_after=true).',
  example: 'gru 64 return_sequences=true',
  options: [
    recurrentActivationOption,
    {
      name: 'reset_after',
      arg: { type: 'bool' },
      default: true,
      doc: 'Apply the reset gate after the recurrent product, with separate input and recurrent biases (Keras 3 and TF2); false is Keras 2.0\'s GRU.',
    },
  ],
});
