import { globalavgpool as lower } from '../../runtime/layers/globalavgpool.js';
import { fromLowering } from './from-lowering.js';

export const globalavgpool = fromLowering(lower);
