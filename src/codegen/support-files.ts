/**
 * The helper files written next to the emitted module, copied as their
 * TypeScript source from mlc's runtime: the data loaders of `mlc train`
 * (src/runtime/data), the fit helpers (src/runtime/fit) and, for the wasm
 * target, the training kernels mlc registers for the wasm backend
 * (src/runtime/kernels). These folders import nothing from the rest of mlc,
 * precisely so they can be shipped this way (test/codegen/kernel-sources.test.ts
 * checks it for the kernels and the fit helpers).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface EmittedFile {
  /** Relative to the folder of the emitted module, with `/` separators. */
  path: string;
  text: string;
}

/** The folder (next to the module) that holds the copied data loaders. */
export const DATA_HELPERS_DIR = 'mlc-data';
/** The folder (next to the module) that holds the copied wasm kernels. */
export const KERNEL_HELPERS_DIR = 'mlc-kernels';
/** The folder (next to the module) that holds mlc's own tfjs layers, when the model uses one. */
export const LAYER_HELPERS_DIR = 'mlc-layers';

/** A runtime folder whose sources are copied, with what its files are, for their "copied from" line. */
interface CopiedFolder {
  runtimeDir: 'data' | 'kernels' | 'custom-layers' | 'fit';
  outDir: string;
  what: string;
}

const DATA_FOLDER: CopiedFolder = { runtimeDir: 'data', outDir: DATA_HELPERS_DIR, what: 'the data loaders of `mlc train`' };
const KERNEL_FOLDER: CopiedFolder = {
  runtimeDir: 'kernels',
  outDir: KERNEL_HELPERS_DIR,
  what: 'the training kernels `mlc train` registers for the wasm backend',
};

/**
 * The source folder src/runtime/<dir>/. Run from src/ (tsx) it is
 * ../runtime/<dir>; run from dist/src/ (compiled) the .js files are no use, so
 * the .ts sources are read from the package's src/ tree, which ships alongside dist/.
 */
export function runtimeSourceDir(dir: CopiedFolder['runtimeDir']): string {
  const candidates = [`../runtime/${dir}/`, `../../../src/runtime/${dir}/`].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  const found = candidates.find((path) => existsSync(`${path}index.ts`));
  if (found === undefined) {
    throw new Error(`cannot find mlc's src/runtime/${dir} sources (looked in ${candidates.join(' and ')}); reinstall mlc with its src/ folder`);
  }
  return found;
}

/** The module sources of a folder (not tests or declaration files), sorted so the output is the same on every machine. */
export function sourceFileNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts'))
    .sort();
}

function copiedFiles(folder: CopiedFolder): EmittedFile[] {
  const dir = runtimeSourceDir(folder.runtimeDir);
  return sourceFileNames(dir).map((name) => ({
    path: `${folder.outDir}/${name}`,
    text: `// Copied by \`mlc emit\` from mlc's src/runtime/${folder.runtimeDir}/${name}: ${folder.what}.\n${readFileSync(`${dir}${name}`, 'utf8')}`,
  }));
}

const LAYER_FOLDER: CopiedFolder = { runtimeDir: 'custom-layers', outDir: LAYER_HELPERS_DIR, what: 'the layers mlc supplies where tfjs-layers has none' };

/** The folder (next to the module) that holds the copied schedules, callbacks, class weights and weighted training loop. */
export const FIT_HELPERS_DIR = 'mlc-fit';

const FIT_FOLDER: CopiedFolder = {
  runtimeDir: 'fit',
  outDir: FIT_HELPERS_DIR,
  what: 'the learning-rate schedules, callbacks, class weights and seeded shuffling of `mlc train`, and model.fit with sample weights',
};

/** The fit helpers (schedules, callbacks, class weights, training with sample weights), for ./mlc-fit/ of every module that trains. */
export function fitHelperFiles(): EmittedFile[] {
  return copiedFiles(FIT_FOLDER);
}

/** mlc's own layers, for ./mlc-layers/. */
export function layerHelperFiles(): EmittedFile[] {
  return copiedFiles(LAYER_FOLDER);
}

/** Every data loader module, for ./mlc-data/. */
export function dataHelperFiles(): EmittedFile[] {
  return copiedFiles(DATA_FOLDER);
}

/** Every wasm kernel module, for ./mlc-kernels/; read at emit time, so the copy follows the runtime's current kernels. */
export function kernelHelperFiles(): EmittedFile[] {
  return copiedFiles(KERNEL_FOLDER);
}
