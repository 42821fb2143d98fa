import { upsample as lower } from '../../runtime/layers/upsample.js';
import { fromLowering } from './from-lowering.js';

export const upsample = fromLowering(lower);
