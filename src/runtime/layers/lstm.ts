import { recurrentLowering } from './recurrent.js';

export const lstm = recurrentLowering('lstm', true);
