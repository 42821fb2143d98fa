/**
 * Direct access to the wasm backend's heap, for kernels written as plain
 * JavaScript loops over its memory: no copy in or out, unlike readSync/write.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { DataType, TensorInfo, backend_util } from '@tensorflow/tfjs-core';

/** The parts of BackendWasm a JavaScript kernel needs. */
export type WasmHeap = Pick<BackendWasm, 'makeOutput' | 'typedArrayFromHeap' | 'incRef'>;

/**
 * A new output tensor and typed views of it and of the inputs. The views are
 * taken after the output is allocated: an allocation may grow the heap, which
 * detaches views taken before it.
 */
export function heapViews<V extends backend_util.TypedArray = backend_util.TypedArray>(
  backend: WasmHeap,
  out: { shape: number[]; dtype: DataType },
  inputs: readonly TensorInfo[],
): { output: TensorInfo; outValues: V; inValues: V[] } {
  const output = backend.makeOutput(out.shape, out.dtype);
  return {
    output,
    outValues: backend.typedArrayFromHeap(output) as V,
    inValues: inputs.map((t) => backend.typedArrayFromHeap(t) as V),
  };
}
