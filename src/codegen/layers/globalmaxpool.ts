import { globalmaxpool as lower } from '../../runtime/layers/globalmaxpool.js';
import { fromLowering } from './from-lowering.js';

export const globalmaxpool = fromLowering(lower);
