/**
 * The TensorFlow C library backends, @tensorflow/tfjs-node and -node-gpu.
 * They are optional dependencies: npm skips them when their native library
 * cannot be downloaded at install time, so they are imported by a computed
 * name (the typecheck must not require them) and a missing package is an
 * expected outcome, not a crash.
 */
import { BackendUnavailable, firstLine, type LoadedBackend, type TfModule } from './types.js';

const PACKAGES = {
  'node-gpu': '@tensorflow/tfjs-node-gpu',
  node: '@tensorflow/tfjs-node',
} as const;

export type NativeBackend = keyof typeof PACKAGES;

const NOT_INSTALLED = 'not installed: its native library could not be downloaded at install time';
const NOT_INSTALLED_PLURAL = 'not installed: their native library could not be downloaded at install time';

function isMissingPackage(e: unknown, pkg: string): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && firstLine(e).includes(pkg);
}

export async function loadNative(which: NativeBackend): Promise<LoadedBackend> {
  const pkg: string = PACKAGES[which];
  let tf: TfModule;
  try {
    // Importing the package loads the C library, registers the 'tensorflow'
    // backend and re-exports @tensorflow/tfjs.
    tf = (await import(pkg)) as TfModule;
  } catch (e) {
    if (isMissingPackage(e, pkg)) throw new BackendUnavailable(`tfjs-${which}`, NOT_INSTALLED, NOT_INSTALLED_PLURAL);
    throw new BackendUnavailable(`tfjs-${which}`, `installed but its native library failed to load (${firstLine(e)})`);
  }
  // The rest of mlc imports @tensorflow/tfjs itself; it must be the same
  // TensorFlow.js instance that now knows the 'tensorflow' backend.
  const shared = await import('@tensorflow/tfjs');
  if (shared.findBackendFactory('tensorflow') == null) {
    throw new BackendUnavailable(
      `tfjs-${which}`,
      `loaded with its own copy of @tensorflow/tfjs-core; run "npm dedupe" so every package shares one`,
    );
  }
  if (!(await shared.setBackend('tensorflow'))) {
    throw new BackendUnavailable(`tfjs-${which}`, 'its backend failed to initialise');
  }
  return { name: which, tf, detail: which === 'node-gpu' ? 'TensorFlow C library, CUDA' : 'TensorFlow C library' };
}
