/**
 * Turns a hang of the threaded wasm backend into an error. When WebAssembly
 * traps inside a kernel (e.g. "remainder by zero" in one of the backend's own
 * kernels), the trap unwinds out of XNNPACK's thread pool with its execution
 * mutex still held, so the next kernel that uses the pool waits for it forever
 * (no CPU, no output). After a trap the module is not trusted again: every
 * later kernel on the wasm backend throws at once instead of blocking.
 */
import type { TfModule } from './types.js';

/** A kernel was asked of the wasm backend after the backend trapped. */
export class WasmBackendBroken extends Error {}

let installed = false;

export function guardWasmTraps(tf: TfModule): void {
  if (installed) return;
  installed = true;
  const engine = tf.engine();
  const runKernel = engine.runKernel.bind(engine);
  let trap: string | undefined;
  engine.runKernel = ((kernelName, inputs, attrs) => {
    if (engine.backendName !== 'wasm') return runKernel(kernelName, inputs, attrs);
    if (trap !== undefined) {
      throw new WasmBackendBroken(`the wasm backend cannot run ${kernelName}: it failed earlier (${trap}); start a new process`);
    }
    try {
      return runKernel(kernelName, inputs, attrs);
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) trap ??= `${e.message} in ${kernelName}`;
      throw e;
    }
  }) as typeof engine.runKernel;
}
