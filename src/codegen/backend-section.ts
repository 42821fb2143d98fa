/**
 * The wasm target's backend set-up as code: useWasmBackend() points the wasm
 * backend at its binaries, registers mlc's training kernels (copied into
 * ./mlc-kernels/, see ./support-files.ts) and switches TensorFlow.js to it,
 * as src/runtime/backend/wasm.ts does for `mlc train`. The other targets need
 * no set-up: their package picks its backend on import.
 */
import type { TfjsTarget } from './header.js';
import { KERNEL_HELPERS_DIR } from './support-files.js';

/** The imports useWasmBackend() needs, by group; none for the other targets. */
export interface BackendImports {
  /** Import lines of packages, placed after the `tf` import. */
  packages: string[];
  /** Names train-section's `node:path` import must also bring in. */
  nodePath: string[];
  /** Import lines of the helper folders. */
  helpers: string[];
}

export function backendImports(target: TfjsTarget): BackendImports {
  if (target !== 'wasm') return { packages: [], nodePath: [], helpers: [] };
  return {
    packages: ["import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';", "import { createRequire } from 'node:module';"],
    nodePath: ['dirname'],
    helpers: [`import { registerWasmKernels } from './${KERNEL_HELPERS_DIR}/index.js';`],
  };
}

/** The statement train() runs before anything touches TensorFlow.js; empty for targets without set-up. */
export function backendSetupStatement(target: TfjsTarget): string {
  return target === 'wasm' ? 'await useWasmBackend();' : '';
}

/** useWasmBackend() for the wasm target (its comment says why it is single-threaded); empty for the others. */
export function backendSection(target: TfjsTarget): string {
  if (target !== 'wasm') return '';
  return `
/**
 * Switches TensorFlow.js to its wasm backend (XNNPACK compiled to
 * WebAssembly: fast on Node, no native install) with the training kernels it
 * lacks, which \`mlc train\` registers too: the gradients of convolutions and
 * of Embedding, and faster matrix products. train() calls it; call it yourself
 * before using buildModel() on its own. Safe to call more than once.
 *
 * One thread: \`mlc train\` can use several, through a shim for the backend's
 * worker threads that depends on the internals of one tfjs release; this file
 * keeps to the backend's public API so that it works with the release you install.
 */
export async function useWasmBackend(): Promise<void> {
  registerWasmKernels();
  // The .wasm binaries sit next to the package's Node entry point (its dist/ folder).
  setWasmPaths(\`\${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'))}/\`);
  if (!(await tf.setBackend('wasm'))) {
    throw new Error('the TensorFlow.js wasm backend failed to start; check that @tensorflow/tfjs-backend-wasm is installed at the version of @tensorflow/tfjs');
  }
}
`;
}
