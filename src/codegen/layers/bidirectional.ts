/**
 * Bidirectional nests its recurrent layer: the lowering holds it as a layer
 * spec under `config.layer`, which the literal printer turns into a nested
 * `tf.layers.lstm({...})` call inside `tf.layers.bidirectional({...})`.
 */
import { bidirectional as lower } from '../../runtime/layers/bidirectional.js';
import { fromLowering } from './from-lowering.js';

export const bidirectional = fromLowering(lower);
