/**
 * Most kinds print the runtime's own lowering (src/runtime/layers) as a
 * factory call, so the emitted layer has exactly the config `mlc train` uses.
 */
import { printLayerCall } from '../literal.js';
import type { Lowering } from '../../runtime/layers/index.js';
import type { LayerTemplate } from './types.js';

export function fromLowering(lower: Lowering): LayerTemplate {
  return (node, ctx) => printLayerCall(lower(node, ctx));
}
