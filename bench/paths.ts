/** Where things are, seen from the compiled bench (dist/bench/*.js) or from its source under tsx. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The repository root: the folder holding package.json above this file. */
export const REPO_ROOT = ((): string => {
  let dir = here;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return resolve(here, '../..');
    dir = up;
  }
  return dir;
})();

/** The installed `mlc` command (package.json `bin`) that `npm run build` writes. */
export const MLC_CLI = join(REPO_ROOT, 'dist/src/cli/bin.cjs');

/** A compiled bench script (e.g. 'handwritten/train.js'), always run from dist/ so no TypeScript loader is needed. */
export function benchScript(relative: string): string {
  return join(REPO_ROOT, 'dist/bench', relative);
}

export const TORCH_SCRIPT = join(REPO_ROOT, 'bench/torch_train.py');
