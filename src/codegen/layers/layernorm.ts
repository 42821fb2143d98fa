import { layernorm as lower } from '../../runtime/layers/layernorm.js';
import { fromLowering } from './from-lowering.js';

export const layernorm = fromLowering(lower);
