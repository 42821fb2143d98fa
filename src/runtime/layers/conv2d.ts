import { convLowering } from './conv.js';

export const conv2d = convLowering('conv2d', 2);
