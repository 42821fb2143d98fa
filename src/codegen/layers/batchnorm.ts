import { batchnorm as lower } from '../../runtime/layers/batchnorm.js';
import { fromLowering } from './from-lowering.js';

export const batchnorm = fromLowering(lower);
