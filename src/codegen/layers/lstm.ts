import { lstm as lower } from '../../runtime/layers/lstm.js';
import { fromLowering } from './from-lowering.js';

export const lstm = fromLowering(lower);
