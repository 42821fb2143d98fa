import { simplernn as lower } from '../../runtime/layers/simplernn.js';
import { fromLowering } from './from-lowering.js';

export const simplernn = fromLowering(lower);
