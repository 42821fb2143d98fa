import { embedding as lower } from '../../runtime/layers/embedding.js';
import { fromLowering } from './from-lowering.js';

export const embedding = fromLowering(lower);
