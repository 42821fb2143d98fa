import { dense as lower } from '../../runtime/layers/dense.js';
import { fromLowering } from './from-lowering.js';

export const dense = fromLowering(lower);
