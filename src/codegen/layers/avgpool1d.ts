import { avgpool1d as lower } from '../../runtime/layers/avgpool1d.js';
import { fromLowering } from './from-lowering.js';

export const avgpool1d = fromLowering(lower);
