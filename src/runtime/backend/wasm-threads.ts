/**
 * Runs the multithreaded build of the TensorFlow.js wasm backend
 * (tfjs-backend-wasm-threaded-simd.wasm, XNNPACK with a pthread pool) under
 * Node. tfjs-backend-wasm 4.22 turns it off in Node because its emscripten
 * glue hands worker_threads two things Node cannot load: the pthread worker
 * script and the main script, both as Blob URLs, and the main script is a
 * function's source text whose bundle-level names no longer resolve. This
 * shim gives the glue a Worker class that starts each pthread worker from the
 * Blob's text and defines those names in it.
 *
 * Two more settings decide the thread count: the backend caps XNNPACK's pool
 * at (logical cores / 2) on the assumption of 2 hyperthreads per core, which
 * on a small Node machine means 1 thread, so the core count it reads is
 * doubled while it initialises.
 */
import { resolveObjectURL } from 'node:buffer';
import os from 'node:os';
import { Worker as NodeWorker } from 'node:worker_threads';

/** Runs inside each pthread worker (CommonJS, eval'd): prepares the globals, then runs the glue's worker script. */
const PTHREAD_BOOTSTRAP = `
const { workerData, parentPort } = require('worker_threads');
// Names the bundled glue refers to outside its own function text.
Object.assign(globalThis, {
  require$$0: require('fs'), require$$1: require('path'), require$$3: require('perf_hooks'), require$$4: require('os'),
  commonjsGlobal: globalThis, _scriptDir: undefined,
});
const MAIN_SCRIPT = 'mlc:tfjs-wasm-main-script';
let mainSource = '';
// Messages are handled in order; the 'load' one carries the main script as a
// Blob whose text can only be read asynchronously, so it is read first.
const listen = parentPort.on.bind(parentPort);
let pending = Promise.resolve();
parentPort.on = (event, listener) => {
  if (event !== 'message') return listen(event, listener);
  return listen('message', (data) => {
    pending = pending.then(async () => {
      if (data && data.cmd === 'load' && data.urlOrBlob && typeof data.urlOrBlob.text === 'function') {
        mainSource = await data.urlOrBlob.text();
        data.urlOrBlob = MAIN_SCRIPT;
      }
      listener(data);
    });
  });
};
workerData.script.text().then((source) => {
  (0, eval)(source);
  const importScript = globalThis.importScripts;
  globalThis.importScripts = (f) => (f === MAIN_SCRIPT ? (0, eval)(mainSource) : importScript(f));
});
`;

class PthreadWorker extends NodeWorker {
  constructor(url: string | URL) {
    const script = resolveObjectURL(String(url));
    if (script === undefined) throw new Error(`the wasm backend asked for a worker script mlc cannot read (${String(url)})`);
    // Not unref'd here: the glue does that once the worker has loaded, and a
    // worker unref'd before it is online ran its pthreads without parallelism.
    super(PTHREAD_BOOTSTRAP, { eval: true, workerData: { script } });
  }

  /**
   * The glue refs a worker while a pthread runs on it, and XNNPACK's pool
   * threads run for the life of the process, so Node would never exit. They
   * only ever work while the main thread waits inside a wasm call, so they
   * need not keep the process alive.
   */
  override ref(): void {}
}

/** Why threads cannot run here, or null when they can. */
export function threadsUnavailableReason(): string | null {
  if (typeof SharedArrayBuffer === 'undefined') return 'this Node has no SharedArrayBuffer';
  if (typeof resolveObjectURL !== 'function') return 'this Node cannot resolve Blob URLs (needs Node 16.7 or later)';
  return null;
}

/**
 * Runs `init` (which must initialise the wasm backend) with the pthread shim in
 * place and XNNPACK allowed `threads` threads. The global Worker is pinned to
 * the shim for the whole process: the glue reassigns it on every factory call
 * and creates more workers later if it needs them.
 */
export async function withWasmThreads<T>(threads: number, init: () => Promise<T>): Promise<T> {
  Object.defineProperty(globalThis, 'Worker', {
    configurable: true,
    get: () => PthreadWorker,
    set: () => {},
  });
  const realCpus = os.cpus;
  // The glue only counts the entries.
  os.cpus = () => Array.from({ length: 2 * threads }, () => ({}) as os.CpuInfo);
  try {
    return await init();
  } finally {
    os.cpus = realCpus;
  }
}
