/**
 * Matrix products as 1x1 convolutions, so they run on XNNPACK's threaded
 * SIMD GEMM. tfjs-backend-wasm's own BatchMatMul uses XNNPACK only for an
 * untransposed product and then on one thread; with either operand transposed
 * (as in every Dense gradient) it runs a scalar loop. A [M,K] x [K,N] product
 * is a convolution of M pixels of K channels with a [1,1,K,N] filter.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface MatMulOperands<T extends Pick<tf.TensorInfo, 'shape' | 'dtype'> = tf.Tensor> {
  a: T;
  b: T;
  transposeA: boolean;
  transposeB: boolean;
}

/** Activations the wasm FusedConv2D kernel applies as a clamp of its output. */
export const CLAMP_ACTIVATIONS: ReadonlySet<string> = new Set(['linear', 'relu', 'relu6']);

/** What _FusedMatMul applies after the product. */
export interface MatMulEpilogue {
  /** Broadcast-added to the product (usually [N]). */
  bias?: tf.Tensor;
  activation: string;
  leakyreluAlpha?: number;
  preluActivationWeights?: tf.Tensor;
}

/** The non-clamp activations of tfjs's fused ops, as the ops they fuse. */
function activate(x: tf.Tensor, e: MatMulEpilogue): tf.Tensor {
  switch (e.activation) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'elu':
      return tf.elu(x);
    case 'leakyrelu':
      return tf.leakyRelu(x, e.leakyreluAlpha ?? 0.2);
    case 'prelu':
      if (e.preluActivationWeights === undefined) throw new Error('a prelu matMul needs its activation weights');
      return tf.prelu(x, e.preluActivationWeights);
    default:
      throw new Error(`unknown fused activation ${e.activation}`);
  }
}

function size(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/**
 * Whether matMulAsConv computes this product: float32, non-empty, and one
 * matrix product after folding a's batch dimensions into its rows (b has no
 * batch of its own). This also covers a batched a times an unbatched b, which
 * the backend's own kernel gets wrong (it traps with "remainder by zero").
 */
export function convertibleMatMul({ a, b }: MatMulOperands<Pick<tf.TensorInfo, 'shape' | 'dtype'>>): boolean {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return false;
  if (size(a.shape) === 0 || size(b.shape) === 0) return false;
  return size(b.shape.slice(0, -2)) === 1;
}

/** a with its last two axes swapped. */
function swapLastTwo(a: tf.Tensor): tf.Tensor {
  const perm = a.shape.map((_, i) => i);
  perm.splice(-2, 2, a.rank - 1, a.rank - 2);
  return tf.transpose(a, perm);
}

/**
 * Whether a plain [rows,k] x [k,n] product is cheaper as (b^T a^T)^T. The
 * filter operand is transposed and packed whenever it changes, which costs
 * about twice a plain transpose per element; so a wide, transposed b (dx =
 * dy w^T of a Dense layer) is better as the pixels, with the small a as the filter.
 */
export function cheaperTransposed(rows: number, k: number, n: number, transposeA: boolean, transposeB: boolean): boolean {
  const PACK = 2;
  const direct = (transposeB ? k * n : 0) + (transposeA ? rows * k : 0) + PACK * k * n;
  const swapped = (transposeB ? 0 : k * n) + (transposeA ? 0 : rows * k) + PACK * rows * k + rows * n;
  return swapped < direct;
}

/** The product (with bias and activation), shaped as tf.matMul shapes it. Call only when convertibleMatMul holds. */
export function matMulAsConv(operands: MatMulOperands, epilogue: MatMulEpilogue = { activation: 'linear' }): tf.Tensor {
  return tf.tidy(() => {
    const { a, b, transposeA, transposeB } = operands;
    const [a0, a1] = a.shape.slice(-2) as [number, number];
    const [b0, b1] = b.shape.slice(-2) as [number, number];
    const k = transposeA ? a0 : a1;
    const n = transposeB ? b0 : b1;
    const rows = a.size / k;
    const outShape = [...tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), transposeA ? a1 : a0, n];
    const plain = epilogue.activation === 'linear' && epilogue.bias === undefined;
    if (plain && a.rank === 2 && cheaperTransposed(rows, k, n, transposeA, transposeB)) {
      const pixels = tf.reshape(transposeB ? b : tf.transpose(tf.reshape(b, [k, n])), [1, 1, n, k]) as tf.Tensor4D;
      const filter = tf.reshape(transposeA ? a : tf.transpose(a), [1, 1, k, rows]) as tf.Tensor4D;
      return tf.reshape(tf.transpose(tf.reshape(tf.conv2d(pixels, filter, 1, 'valid'), [n, rows])), outShape);
    }
    const lhs = tf.reshape(transposeA ? swapLastTwo(a) : a, [rows, k]);
    const rhs = transposeB ? tf.transpose(tf.reshape(b, [n, k])) : tf.reshape(b, [k, n]);
    const pixels = tf.reshape(lhs, [1, 1, rows, k]) as tf.Tensor4D;
    const filter = tf.reshape(rhs, [1, 1, k, n]) as tf.Tensor4D;
    const { bias } = epilogue;
    // XNNPACK adds a per-column bias and clamps (relu, relu6) in the GEMM itself.
    const inGemm = CLAMP_ACTIVATIONS.has(epilogue.activation) && (bias === undefined || (bias.rank === 1 && bias.shape[0] === n));
    if (inGemm) {
      const product = tf.fused.conv2d({ x: pixels, filter, strides: 1, pad: 'valid', bias, activation: epilogue.activation as 'linear' });
      return tf.reshape(product, outShape);
    }
    const product = tf.reshape(tf.conv2d(pixels, filter, 1, 'valid'), outShape);
    return activate(bias === undefined ? product : tf.add(product, bias), epilogue);
  });
}
