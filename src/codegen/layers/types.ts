/**
 * A codegen template turns one IR node into the TypeScript expression that
 * builds its layer, e.g. `tf.layers.conv2d({ filters: 32, ... })`. There is
 * one template per layer kind, in ./KIND.ts, keyed by kind in ./index.ts.
 */
import type { IRNode } from '../../ir/types.js';
import type { LowerContext } from '../../runtime/layers/index.js';

export type LayerTemplate = (node: IRNode, ctx: LowerContext) => string;
