/**
 * The helper files written next to the emitted module: the data loaders of
 * `mlc train` (src/runtime/data), copied as their TypeScript source. They
 * import nothing from the rest of mlc, precisely so they can be shipped this way.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DATA_HELPERS_DIR } from './train-section.js';

export interface EmittedFile {
  /** Relative to the folder of the emitted module, with `/` separators. */
  path: string;
  text: string;
}

/**
 * The loaders' source folder. Run from src/ (tsx) it is ../runtime/data; run
 * from dist/src/ (compiled) the .js files are no use, so the .ts sources are
 * read from the package's src/ tree, which ships alongside dist/.
 */
export function dataSourceDir(): string {
  const candidates = ['../runtime/data/', '../../../src/runtime/data/'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  const found = candidates.find((dir) => existsSync(`${dir}index.ts`));
  if (found === undefined) {
    throw new Error(`cannot find the data loader sources (looked in ${candidates.join(' and ')}); reinstall mlc with its src/ folder`);
  }
  return found;
}

/** Every loader module (not tests or declaration files), sorted so the output is the same on every machine. */
export function dataHelperFiles(): EmittedFile[] {
  const dir = dataSourceDir();
  return readdirSync(dir)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts'))
    .sort()
    .map((name) => ({
      path: `${DATA_HELPERS_DIR}/${name}`,
      text: `// Copied by \`mlc emit\` from mlc's src/runtime/data/${name}: the data loaders of \`mlc train\`.\n${readFileSync(`${dir}${name}`, 'utf8')}`,
    }));
}
