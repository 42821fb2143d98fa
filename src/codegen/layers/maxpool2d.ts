import { maxpool2d as lower } from '../../runtime/layers/maxpool2d.js';
import { fromLowering } from './from-lowering.js';

export const maxpool2d = fromLowering(lower);
