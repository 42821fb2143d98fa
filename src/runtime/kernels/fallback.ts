/**
 * The backend's own kernels that mlc's replace, kept for the cases mlc's
 * leave to them (registerWasmKernels records them as it replaces them).
 */
import type { KernelFunc } from '@tensorflow/tfjs-core';

const replaced = new Map<string, KernelFunc>();

export function keepReplaced(kernelName: string, kernelFunc: KernelFunc): void {
  replaced.set(kernelName, kernelFunc);
}

export function fallBack(kernelName: string, args: Parameters<KernelFunc>[0]): ReturnType<KernelFunc> {
  const native = replaced.get(kernelName);
  if (native === undefined) throw new Error(`the wasm backend has no ${kernelName} kernel to fall back on`);
  return native(args);
}
