/**
 * The wasm backend: XNNPACK compiled to WebAssembly, with SIMD and, where the
 * pthread shim works, several threads; plus the training kernels it lacks
 * (src/runtime/kernels).
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname } from 'node:path';
import { BackendUnavailable, firstLine, type LoadedBackend } from './types.js';
import { threadsUnavailableReason, withWasmThreads } from './wasm-threads.js';
import { guardWasmTraps } from './wasm-trap-guard.js';

/** Environment variable that sets the wasm thread count (1 = single-threaded). */
export const THREADS_ENV = 'MLC_WASM_THREADS';

let loading: Promise<LoadedBackend> | undefined;

/** Loads and activates the wasm backend; later calls reuse the first initialisation. */
export function loadWasm(): Promise<LoadedBackend> {
  loading ??= initialise().catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading.then(async (loaded) => {
    await loaded.tf.setBackend('wasm');
    return loaded;
  });
}

/** The thread count asked for: MLC_WASM_THREADS, else every core Node may use. */
function requestedThreads(): { count: number; why: string } {
  const raw = process.env[THREADS_ENV];
  if (raw !== undefined && raw !== '') {
    const n = Number(raw);
    if (Number.isInteger(n) && n >= 1) return { count: n, why: `${THREADS_ENV}=${raw}` };
  }
  return { count: os.availableParallelism(), why: 'one core' };
}

async function initialise(): Promise<LoadedBackend> {
  const tf = await import('@tensorflow/tfjs');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const { registerWasmKernels } = await import('../kernels/index.js');
  if (tf.findBackendFactory('wasm') == null) {
    throw new BackendUnavailable(
      'wasm',
      'tfjs-backend-wasm loaded with its own copy of @tensorflow/tfjs-core; run "npm dedupe" so every package shares one',
    );
  }
  registerWasmKernels();
  // The .wasm binaries sit next to the backend's Node entry point (dist/).
  const distDir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
  wasm.setWasmPaths(`${distDir}/`);

  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const wanted = requestedThreads();
  let singleThreadedWhy: string | undefined;
  let ready = false;
  if (wanted.count <= 1) {
    singleThreadedWhy = wanted.why;
  } else if (!simd) {
    singleThreadedWhy = 'the threaded build needs SIMD';
  } else {
    singleThreadedWhy = threadsUnavailableReason() ?? undefined;
  }
  if (singleThreadedWhy === undefined) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    wasm.setThreadsCount(wanted.count);
    try {
      ready = await withWasmThreads(wanted.count, () => tf.setBackend('wasm'));
    } catch (e) {
      singleThreadedWhy = `threads failed to start (${firstLine(e)})`;
    }
    if (!ready) {
      singleThreadedWhy ??= 'threads failed to start';
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    }
  }
  if (!ready) {
    wasm.setThreadsCount(1);
    ready = await tf.setBackend('wasm');
  }
  if (!ready) throw new BackendUnavailable('wasm', 'its WebAssembly module failed to initialise');
  guardWasmTraps(tf);

  const threads = wasm.getThreadsCount();
  const parts = [simd ? 'simd' : 'no simd', `${threads} thread${threads === 1 ? '' : 's'}`];
  if (threads === 1 && singleThreadedWhy !== undefined) parts[1] += ` (${singleThreadedWhy})`;
  return { name: 'wasm', tf, detail: parts.join(', ') };
}
