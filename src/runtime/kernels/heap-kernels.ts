/**
 * wasm kernels written as JavaScript over the backend's heap, for ops whose
 * tfjs-backend-wasm kernels copy or loop more than they need to in training:
 * MaxPoolGrad, Sum over leading axes (bias gradients), Transpose, Reverse,
 * Identity, and GatherV2 of whole rows (a training batch drawn from the data).
 */
import { GatherV2, Identity, MaxPoolGrad, Reverse, Sum, Transpose, backend_util, util } from '@tensorflow/tfjs-core';
import type { GatherV2Attrs, KernelConfig, KernelFunc, MaxPoolGradAttrs, ReverseAttrs, SumAttrs, TensorInfo, TransposeAttrs } from '@tensorflow/tfjs-core';
import { fallBack } from './fallback.js';
import { maxPoolGradValues, tiledWindows } from './max-pool-grad.js';
import { blockOfAxes, sumMiddleAxis } from './reduce-sum.js';
import { copiesRuns, copyStrided, reverseSource, transposeSource, type StridedSource } from './strided-copy.js';
import { simdKernelsOf } from './simd-kernels.js';
import { heapViews, type WasmHeap } from './wasm-heap.js';

function required(info: TensorInfo | undefined): TensorInfo {
  if (info === undefined) throw new Error('a wasm kernel was called without one of its inputs');
  return info;
}

const maxPoolGrad: KernelFunc = (args) => {
  const [x, dy] = [required(args.inputs.input), required(args.inputs.dy)];
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') return fallBack(MaxPoolGrad, args);
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as MaxPoolGradAttrs;
  const info = backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const { output, outValues, inValues } = heapViews<Float32Array>(args.backend as WasmHeap, x, [x, dy]);
  const { tiled, covered } = tiledWindows(info);
  const simd = tiled && info.inChannels % 4 === 0 ? simdKernelsOf(args.backend) : undefined;
  if (simd === undefined) {
    maxPoolGradValues(inValues[0]!, inValues[1]!, outValues, info);
    return output;
  }
  // The kernel writes every position inside a window; any others must read 0.
  if (!covered) outValues.fill(0);
  simd.maxPoolGrad(
    inValues[0]!.byteOffset, inValues[1]!.byteOffset, outValues.byteOffset,
    info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
    info.strideHeight, info.strideWidth, info.effectiveFilterHeight, info.effectiveFilterWidth,
  );
  return output;
};

const sum: KernelFunc = (args) => {
  const x = required(args.inputs.x);
  const { axis, keepDims } = args.attrs as unknown as SumAttrs;
  const axes = [...new Set(util.parseAxisParam(axis, x.shape))].sort((a, b) => a - b);
  const block = x.dtype === 'float32' || x.dtype === 'int32' ? blockOfAxes(x.shape, axes) : undefined;
  // Anything else (the reduced axes innermost already, or apart) the backend sums without a detour, or as well as we would.
  if (block === undefined || util.sizeFromShape(x.shape) === 0) return fallBack(Sum, args);
  const kept = x.shape.filter((_, i) => !axes.includes(i));
  const shape = keepDims ? backend_util.expandShapeToKeepDim(kept, axes) : kept;
  const { output, outValues, inValues } = heapViews<Float32Array | Int32Array>(args.backend as WasmHeap, { shape, dtype: x.dtype }, [x]);
  const simd = x.dtype === 'float32' && block[2] % 16 === 0 ? simdKernelsOf(args.backend) : undefined;
  if (simd) simd.sumMiddleAxis(inValues[0]!.byteOffset, outValues.byteOffset, ...block);
  else sumMiddleAxis(inValues[0]!, outValues, block);
  return output;
};

/** The dtypes whose heap views copyStrided can copy (not string or complex64). */
const COPYABLE: ReadonlySet<string> = new Set(['float32', 'int32', 'bool']);

function stridedCopy(
  args: Parameters<KernelFunc>[0],
  kernelName: string,
  sourceOf: (x: TensorInfo) => StridedSource,
  nativeIsAsFast: (source: StridedSource) => boolean = () => false,
): ReturnType<KernelFunc> {
  const x = required(args.inputs.x);
  if (!COPYABLE.has(x.dtype)) return fallBack(kernelName, args);
  const source = sourceOf(x);
  if (nativeIsAsFast(source)) return fallBack(kernelName, args);
  const { output, outValues, inValues } = heapViews(args.backend as WasmHeap, { shape: [...source.shape], dtype: x.dtype }, [x]);
  copyStrided(inValues[0]!, outValues, source, simdKernelsOf(args.backend));
  return output;
}

const transpose: KernelFunc = (args) =>
  stridedCopy(args, Transpose, (x) => transposeSource(x.shape, (args.attrs as unknown as TransposeAttrs).perm), copiesRuns);

const reverse: KernelFunc = (args) =>
  stridedCopy(args, Reverse, (x) => reverseSource(x.shape, util.parseAxisParam((args.attrs as unknown as ReverseAttrs).dims, x.shape)));

/**
 * The engine clones (Identity) every tensor a gradient keeps for the backward
 * pass; the wasm backend's Identity copies the data. Tensors are immutable, so
 * the clone shares it, as the cpu backend's does and the wasm backend's own Reshape does.
 */
const identity: KernelFunc = (args) => {
  const x = required(args.inputs.x);
  if (x.dtype === 'string') return fallBack(Identity, args);
  (args.backend as WasmHeap).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/**
 * Rows of a tensor picked by index (gather on axis 0), each copied as one
 * block: the backend's kernel copies element by element, and the training
 * loop gathers every batch this way. An index out of range goes to the
 * backend's kernel, which decides what that means.
 */
const gatherRows: KernelFunc = (args) => {
  const [x, indices] = [required(args.inputs.x), required(args.inputs.indices)];
  const { axis, batchDims } = args.attrs as unknown as GatherV2Attrs;
  if (util.parseAxisParam(axis, x.shape)[0] !== 0 || batchDims !== 0 || !COPYABLE.has(x.dtype) || indices.dtype !== 'int32') {
    return fallBack(GatherV2, args);
  }
  const heap = args.backend as WasmHeap;
  const rows = x.shape[0]!;
  if ((heap.typedArrayFromHeap(indices) as Int32Array).some((i) => i < 0 || i >= rows)) return fallBack(GatherV2, args);
  const { output, outValues, inValues } = heapViews(heap, { shape: [...indices.shape, ...x.shape.slice(1)], dtype: x.dtype }, [x, indices]);
  const [values, picks] = [inValues[0]!, inValues[1] as Int32Array];
  const rowSize = util.sizeFromShape(x.shape.slice(1));
  picks.forEach((row, i) => outValues.set(values.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize));
  return output;
};

export const HEAP_KERNELS: readonly KernelConfig[] = [
  { kernelName: GatherV2, backendName: 'wasm', kernelFunc: gatherRows },
  { kernelName: MaxPoolGrad, backendName: 'wasm', kernelFunc: maxPoolGrad },
  { kernelName: Sum, backendName: 'wasm', kernelFunc: sum },
  { kernelName: Transpose, backendName: 'wasm', kernelFunc: transpose },
  { kernelName: Reverse, backendName: 'wasm', kernelFunc: reverse },
  { kernelName: Identity, backendName: 'wasm', kernelFunc: identity },
];
