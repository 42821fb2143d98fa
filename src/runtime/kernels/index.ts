/**
 * Kernels the wasm backend of TensorFlow.js lacks, or runs slowly, for
 * training: convolution and depthwise-convolution gradients (as XNNPACK
 * forward convolutions), matrix products (as XNNPACK 1x1 convolutions, which
 * use every thread), UnsortedSegmentSum (the Embedding gradient), relu's
 * gradient in one pass, and JavaScript or WebAssembly SIMD kernels over the
 * backend's memory (./heap-kernels.ts, ./simd/).
 */
// The wasm backend must register its own kernels first: a later import would
// silently replace ours (Conv2DBackpropInput in particular).
import '@tensorflow/tfjs-backend-wasm';
import {
  BatchMatMul,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  DepthwiseConv2dNativeBackpropFilter,
  DepthwiseConv2dNativeBackpropInput,
  UnsortedSegmentSum,
  _FusedMatMul,
  engine,
  getKernel,
  registerKernel,
  tidy,
  transpose,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import type {
  BatchMatMulAttrs,
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropInputAttrs,
  DepthwiseConv2dNativeBackpropFilterAttrs,
  DepthwiseConv2dNativeBackpropInputAttrs,
  KernelBackend,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  Rank,
  Tensor,
  Tensor4D,
  TensorInfo,
  UnsortedSegmentSumAttrs,
  _FusedMatMulAttrs,
} from '@tensorflow/tfjs-core';
import { conv2dFilterGradient, conv2dInputGradient } from './conv2d-gradients.js';
import { depthwiseFilterGradient, depthwiseInputGradient } from './depthwise-gradients.js';
import { fallBack, keepReplaced } from './fallback.js';
import { HEAP_KERNELS } from './heap-kernels.js';
import { RELU_GRAD_KERNEL, registerReluGradient } from './relu-gradient.js';
import { convertibleMatMul, matMulAsConv } from './mat-mul.js';
import { unsortedSegmentSumValues } from './unsorted-segment-sum.js';
import { registerDilatedConvGradient } from './dilated-conv-gradient.js';
import { registerUnpackGradient } from './unpack-gradient.js';

export { conv2dFilterGradient, conv2dInputGradient } from './conv2d-gradients.js';
export { depthwiseFilterGradient, depthwiseInputGradient } from './depthwise-gradients.js';

const BACKEND = 'wasm';

/**
 * A Tensor view of a kernel input, sharing its data, for use inside tidy().
 * The view holds its own reference to the data (as engine.incRef does), so
 * disposing it leaves the caller's tensor intact.
 */
function view<R extends Rank>(info: TensorInfo | undefined, backend: unknown): Tensor<R> {
  const input = required(info);
  const t = engine().makeTensorFromTensorInfo(input) as Tensor<R>;
  (backend as KernelBackend).incRef(input.dataId);
  return t;
}

function required(info: TensorInfo | undefined): TensorInfo {
  if (info === undefined) throw new Error('a wasm kernel was called without one of its inputs');
  return info;
}

function attrsOf<T>(attrs: NamedAttrMap | undefined): T {
  return attrs as unknown as T;
}

type Shape4 = [number, number, number, number];
const NCHW_TO_NHWC = [0, 2, 3, 1];
const NHWC_TO_NCHW = [0, 3, 1, 2];

/** NCHW kernels (tfjs layers never ask for them, but the op allows it) run through NHWC and back. */
function toNhwc(t: Tensor4D, dataFormat: 'NHWC' | 'NCHW'): Tensor4D {
  return dataFormat === 'NCHW' ? transpose(t, NCHW_TO_NHWC) : t;
}
/** An explicit NCHW padding reordered for NHWC; named paddings mean the same in both. */
function padToNhwc<P>(pad: P, dataFormat: 'NHWC' | 'NCHW'): P {
  if (dataFormat !== 'NCHW' || !Array.isArray(pad)) return pad;
  const [batch, channels, h, w] = pad as [number, number][];
  return [batch, h, w, channels] as P;
}
function shapeToNhwc(shape: Shape4, dataFormat: 'NHWC' | 'NCHW'): Shape4 {
  return dataFormat === 'NCHW' ? [shape[0], shape[2], shape[3], shape[1]] : shape;
}

const conv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const a = attrsOf<Conv2DBackpropFilterAttrs>(attrs);
  return tidy(() =>
    conv2dFilterGradient(
      toNhwc(view<Rank.R4>(inputs.x, backend), a.dataFormat),
      toNhwc(view<Rank.R4>(inputs.dy, backend), a.dataFormat),
      a.filterShape,
      { strides: a.strides, dilations: 1, pad: padToNhwc(a.pad, a.dataFormat), dimRoundingMode: a.dimRoundingMode },
    ),
  );
};

const conv2dBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const a = attrsOf<Conv2DBackpropInputAttrs>(attrs);
  return tidy(() => {
    const dx = conv2dInputGradient(
      shapeToNhwc(a.inputShape, a.dataFormat),
      toNhwc(view<Rank.R4>(inputs.dy, backend), a.dataFormat),
      view<Rank.R4>(inputs.filter, backend),
      { strides: a.strides, dilations: 1, pad: padToNhwc(a.pad, a.dataFormat), dimRoundingMode: a.dimRoundingMode },
    );
    return a.dataFormat === 'NCHW' ? transpose(dx, NHWC_TO_NCHW) : dx;
  });
};

const depthwiseBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const a = attrsOf<DepthwiseConv2dNativeBackpropFilterAttrs>(attrs);
  return tidy(() =>
    depthwiseFilterGradient(view<Rank.R4>(inputs.x, backend), view<Rank.R4>(inputs.dy, backend), a.filterShape, a),
  );
};

const depthwiseBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const a = attrsOf<DepthwiseConv2dNativeBackpropInputAttrs>(attrs);
  return tidy(() =>
    depthwiseInputGradient(a.inputShape, view<Rank.R4>(inputs.dy, backend), view<Rank.R4>(inputs.filter, backend), a),
  );
};

const batchMatMul: KernelFunc = (args) => {
  const { inputs, backend, attrs } = args;
  const { transposeA, transposeB } = attrsOf<BatchMatMulAttrs>(attrs);
  const [a, b] = [required(inputs.a), required(inputs.b)];
  if (!convertibleMatMul({ a, b, transposeA, transposeB })) return fallBack(BatchMatMul, args);
  return tidy(() => matMulAsConv({ a: view(a, backend), b: view(b, backend), transposeA, transposeB }));
};

/** Dense layers' forward pass: product, bias and activation; a relu or relu6 runs inside XNNPACK's GEMM. */
const fusedMatMul: KernelFunc = (args) => {
  const { inputs, backend, attrs } = args;
  const { transposeA, transposeB, activation, leakyreluAlpha } = attrsOf<_FusedMatMulAttrs>(attrs);
  const [a, b] = [required(inputs.a), required(inputs.b)];
  if (!convertibleMatMul({ a, b, transposeA, transposeB })) return fallBack(_FusedMatMul, args);
  return tidy(() =>
    matMulAsConv(
      { a: view(a, backend), b: view(b, backend), transposeA, transposeB },
      {
        activation,
        leakyreluAlpha,
        bias: inputs.bias === undefined ? undefined : view(inputs.bias, backend),
        preluActivationWeights: inputs.preluActivationWeights === undefined ? undefined : view(inputs.preluActivationWeights, backend),
      },
    ),
  );
};

const unsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }) =>
  unsortedSegmentSumValues(backend as KernelBackend, required(inputs.x), required(inputs.segmentIds), attrsOf<UnsortedSegmentSumAttrs>(attrs).numSegments);

export const WASM_KERNELS: readonly KernelConfig[] = [
  { kernelName: Conv2DBackpropFilter, backendName: BACKEND, kernelFunc: conv2dBackpropFilter },
  { kernelName: Conv2DBackpropInput, backendName: BACKEND, kernelFunc: conv2dBackpropInput },
  { kernelName: DepthwiseConv2dNativeBackpropFilter, backendName: BACKEND, kernelFunc: depthwiseBackpropFilter },
  { kernelName: DepthwiseConv2dNativeBackpropInput, backendName: BACKEND, kernelFunc: depthwiseBackpropInput },
  { kernelName: UnsortedSegmentSum, backendName: BACKEND, kernelFunc: unsortedSegmentSum },
  { kernelName: BatchMatMul, backendName: BACKEND, kernelFunc: batchMatMul },
  { kernelName: _FusedMatMul, backendName: BACKEND, kernelFunc: fusedMatMul },
  ...HEAP_KERNELS,
  RELU_GRAD_KERNEL,
];

/**
 * Registers the kernels above for the 'wasm' backend, replacing the backend's
 * own where it has a slower one. Safe to call any number of times.
 */
export function registerWasmKernels(): void {
  for (const config of WASM_KERNELS) {
    const existing = getKernel(config.kernelName, BACKEND);
    if (existing?.kernelFunc === config.kernelFunc) continue;
    // The backend's kernel stays set up (its setupFunc binds its wasm function) for the cases ours hand back to it.
    const setupFunc = existing?.setupFunc ?? config.setupFunc;
    if (existing) {
      keepReplaced(config.kernelName, existing.kernelFunc);
      unregisterKernel(config.kernelName, BACKEND);
    }
    registerKernel({ ...config, setupFunc });
  }
  registerReluGradient();
  // The gradients TensorFlow.js lacks on every backend, so that a module \`mlc emit\` wrote, which calls only this, trains what \`mlc train\` does.
  registerDilatedConvGradient();
  registerUnpackGradient();
}
