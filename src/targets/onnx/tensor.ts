/** Rearranging weights between Keras's layouts and ONNX's, on plain arrays. */

export interface HostTensor {
  shape: number[];
  data: Float32Array;
}

/** `t` with its axes permuted (numpy's transpose(perm)). */
export function permute(t: HostTensor, perm: readonly number[]): HostTensor {
  const rank = t.shape.length;
  const shape = perm.map((p) => t.shape[p]);
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= t.shape[i];
  }
  const strides = perm.map((p) => inStrides[p]);
  const out = new Float32Array(t.data.length);
  // An odometer over the output's indices that keeps the source offset up to date as it turns.
  const index = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = t.data[src];
    for (let i = rank - 1; i >= 0; i--) {
      src += strides[i];
      if (++index[i] < shape[i]) break;
      src -= strides[i] * shape[i];
      index[i] = 0;
    }
  }
  return { shape, data: out };
}

/**
 * Reorders equal blocks along the first axis: `order[k]` is the block of `t`
 * that becomes block k (LSTM gates i,f,c,o in Keras are i,o,f,c in ONNX).
 */
export function reorderRowBlocks(t: HostTensor, blocks: number, order: readonly number[]): HostTensor {
  const blockSize = t.data.length / blocks;
  const out = new Float32Array(t.data.length);
  order.forEach((from, to) => out.set(t.data.subarray(from * blockSize, (from + 1) * blockSize), to * blockSize));
  return { shape: t.shape, data: out };
}

export function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
