import { avgpool2d as lower } from '../../runtime/layers/avgpool2d.js';
import { fromLowering } from './from-lowering.js';

export const avgpool2d = fromLowering(lower);
