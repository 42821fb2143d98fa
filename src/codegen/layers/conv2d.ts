import { conv2d as lower } from '../../runtime/layers/conv2d.js';
import { fromLowering } from './from-lowering.js';

export const conv2d = fromLowering(lower);
