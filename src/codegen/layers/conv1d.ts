import { conv1d as lower } from '../../runtime/layers/conv1d.js';
import { fromLowering } from './from-lowering.js';

export const conv1d = fromLowering(lower);
