/**
 * Relu's gradient, dy * step(x), in one pass on the wasm backend. tfjs
 * computes it as three kernels (Step, Cast, Multiply), each a full pass with
 * its own output; for a convolution's activations that is ~3 ms each per
 * batch. The gradient of Relu is replaced by one that runs mlc's kernel when
 * the wasm backend has it, and tfjs's own formula everywhere else.
 */
import { engine, Relu } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { overrideGradient } from './gradient-override.js';
import { simdKernelsOf } from './simd-kernels.js';
import { heapViews, type WasmHeap } from './wasm-heap.js';

/** mlc's kernel name: tfjs has no kernel for this gradient. */
export const RELU_GRAD = 'MlcReluGrad';

const reluGradKernel: KernelFunc = ({ inputs, backend }) => {
  const [dy, x] = [inputs.dy as TensorInfo, inputs.x as TensorInfo];
  const { output, outValues, inValues } = heapViews<Float32Array>(backend as WasmHeap, dy, [dy, x]);
  simdKernelsOf(backend)!.reluGrad(inValues[0]!.byteOffset, inValues[1]!.byteOffset, outValues.byteOffset, outValues.length);
  return output;
};

export const RELU_GRAD_KERNEL: KernelConfig = { kernelName: RELU_GRAD, backendName: 'wasm', kernelFunc: reluGradKernel };

/** Safe to call any number of times. */
export function registerReluGradient(): void {
  overrideGradient(Relu, (stock, dy, saved, attrs) => {
    const [x] = saved as [Tensor];
    const e = engine();
    const fused = e.backendName === 'wasm' && simdKernelsOf(e.backend) !== undefined &&
      (dy as Tensor).dtype === 'float32' && x.dtype === 'float32';
    if (!fused) return stock(dy, saved, attrs);
    return { x: () => e.runKernel(RELU_GRAD, { dy: dy as Tensor, x }) as Tensor };
  });
}
