import { recurrentDef, recurrentTfjs } from './recurrent.js';

export const simplernn = recurrentDef({
  kind: 'simplernn',
  kerasClass: 'SimpleRNN',
  tfjs: recurrentTfjs('simpleRNN', false),
  gates: 1,
  doc: 'Fully connected recurrent layer: state = activation(input · kernel + state · recurrent_kernel + bias) at each step.',
  example: 'simplernn 32 return_sequences=true',
});
