import { maxpool1d as lower } from '../../runtime/layers/maxpool1d.js';
import { fromLowering } from './from-lowering.js';

export const maxpool1d = fromLowering(lower);
