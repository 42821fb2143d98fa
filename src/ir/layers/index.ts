/** The registry of layer kinds: one definition per file in this folder. */
import { dense } from './dense.js';
import type { LayerDef } from './types.js';

export const LAYER_DEFS: readonly LayerDef[] = [dense];

const BY_NAME = new Map<string, LayerDef>();
for (const def of LAYER_DEFS) {
  for (const name of [def.kind, ...def.aliases]) BY_NAME.set(name, def);
}

/** The definition for a kind or one of its aliases, or undefined. */
export function findLayer(name: string): LayerDef | undefined {
  return BY_NAME.get(name);
}

/** Every name (kinds and aliases) the language accepts, for "did you mean" suggestions. */
export function layerNames(): string[] {
  return [...BY_NAME.keys()];
}
