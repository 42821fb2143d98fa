import { recurrentActivationOption, recurrentDef, recurrentTfjs } from './recurrent.js';

export const lstm = recurrentDef({
  kind: 'lstm',
  kerasClass: 'LSTM',
  tfjs: recurrentTfjs('lstm', true),
  gates: 4,
  doc: 'Long short-term memory: a recurrent layer whose input, forget and output gates let it keep information over many steps.',
  example: 'lstm 64',
  options: [recurrentActivationOption],
});
