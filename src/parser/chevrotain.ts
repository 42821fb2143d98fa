/**
 * Chevrotain, loaded from its single-file bundle.
 *
 * The package's main entry imports lodash-es as hundreds of small modules,
 * which costs about half a second at start-up, more than a whole `mlc check`
 * may take; its own bundle (lib/chevrotain.mjs, same version, same API) loads
 * in a tenth of that. The package does not export that path, so it is found
 * next to the entry point. Every runtime use of chevrotain in the parser goes
 * through this module, so that tokens and parsers come from one copy.
 */
import type * as Chevrotain from 'chevrotain';

async function load(): Promise<typeof Chevrotain> {
  try {
    return (await import(new URL('../chevrotain.mjs', import.meta.resolve('chevrotain')).href)) as typeof Chevrotain;
  } catch {
    return await import('chevrotain');
  }
}

export const chevrotain: typeof Chevrotain = await load();
