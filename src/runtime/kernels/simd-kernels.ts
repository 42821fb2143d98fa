/**
 * The WebAssembly SIMD kernels of ./simd/kernels.wat, instantiated on the wasm
 * backend's own memory so that they read and write tensors where they lie.
 * Where that cannot be done (a backend build that hides its memory, an engine
 * without SIMD), `simdKernelsOf` answers undefined and callers use their
 * JavaScript kernels instead.
 */
import { SHARED_MEMORY_MODULE, UNSHARED_MEMORY_MODULE } from './simd-kernels.generated.js';

/** The module's exports; pointers are byte offsets into the backend's memory. */
export interface SimdKernels {
  maxPoolGrad(
    x: number, dy: number, dx: number,
    batch: number, inHeight: number, inWidth: number, channels: number,
    outHeight: number, outWidth: number,
    strideHeight: number, strideWidth: number, filterHeight: number, filterWidth: number,
  ): void;
  reluGrad(dy: number, x: number, dx: number, count: number): void;
  /** Element strides: rowOut in the output, colIn in the input. */
  transposePlane(src: number, dst: number, rows: number, cols: number, rowOut: number, colIn: number): void;
  /** Bit for bit ../reduce-sum.ts's sumMiddleAxis, for float32 with inner a multiple of 16. */
  sumMiddleAxis(x: number, out: number, outer: number, reduced: number, inner: number): void;
}

/** What the kernels need of the backend: its emscripten module, which holds the memory. */
interface WithEmscriptenModule {
  wasm?: { wasmMemory?: unknown; asm?: { memory?: unknown } };
}

const instances = new WeakMap<object, SimdKernels | null>();

/** The kernels on `backend`'s memory, instantiated once per backend; undefined where they cannot run. */
export function simdKernelsOf(backend: object): SimdKernels | undefined {
  let kernels = instances.get(backend);
  if (kernels === undefined) {
    kernels = instantiate(backend) ?? null;
    instances.set(backend, kernels);
  }
  return kernels ?? undefined;
}

function instantiate(backend: object): SimdKernels | undefined {
  const module = (backend as WithEmscriptenModule).wasm;
  // The threaded build keeps its shared memory on the module; the others export theirs.
  const memory = module?.wasmMemory ?? module?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return undefined;
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  try {
    const bytes = Buffer.from(shared ? SHARED_MEMORY_MODULE : UNSHARED_MEMORY_MODULE, 'base64');
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    return instance.exports as unknown as SimdKernels;
  } catch {
    return undefined;
  }
}
