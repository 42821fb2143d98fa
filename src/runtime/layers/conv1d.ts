import { convLowering } from './conv.js';

export const conv1d = convLowering('conv1d', 1);
