import { activation as lower } from '../../runtime/layers/activation.js';
import { fromLowering } from './from-lowering.js';

export const activation = fromLowering(lower);
