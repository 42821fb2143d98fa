import { dropout as lower } from '../../runtime/layers/dropout.js';
import { fromLowering } from './from-lowering.js';

export const dropout = fromLowering(lower);
