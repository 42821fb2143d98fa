import { gru as lower } from '../../runtime/layers/gru.js';
import { fromLowering } from './from-lowering.js';

export const gru = fromLowering(lower);
