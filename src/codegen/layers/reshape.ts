import { reshape as lower } from '../../runtime/layers/reshape.js';
import { fromLowering } from './from-lowering.js';

export const reshape = fromLowering(lower);
