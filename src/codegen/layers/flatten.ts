import { flatten as lower } from '../../runtime/layers/flatten.js';
import { fromLowering } from './from-lowering.js';

export const flatten = fromLowering(lower);
