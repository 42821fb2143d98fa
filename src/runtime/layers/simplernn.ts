import { recurrentLowering } from './recurrent.js';

export const simplernn = recurrentLowering('simpleRNN', false);
