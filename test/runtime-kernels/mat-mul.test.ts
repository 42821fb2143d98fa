/**
 * mlc's wasm BatchMatMul and _FusedMatMul (1x1 convolutions on XNNPACK)
 * against the cpu backend's, over transposes, batch dimensions, bias shapes
 * and activations, including the cases handed back to the backend's own kernels.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { TfModule } from '../../src/runtime/backend/select.js';
import { cheaperTransposed, convertibleMatMul } from '../../src/runtime/kernels/mat-mul.js';
import { assertClose, randomInt, randomValues, runKernel, seeded, wasmTf, type HostTensor } from './helpers.js';

const RTOL = 1e-4;
let tf: TfModule;
before(async () => {
  tf = await wasmTf();
});

interface MatMulCase {
  label: string;
  a: HostTensor;
  b: HostTensor;
  transposeA: boolean;
  transposeB: boolean;
}

function host(rand: () => number, shape: number[]): HostTensor {
  return { values: randomValues(rand, shape.reduce((p, d) => p * d, 1)), shape };
}

/** A random product of m x k by k x n, with optional transposes and batch dimensions. */
function randomCase(rand: () => number, batchA: number[], batchB: number[]): MatMulCase {
  const [m, k, n] = [randomInt(rand, 1, 9), randomInt(rand, 1, 9), randomInt(rand, 1, 9)];
  const transposeA = rand() < 0.5;
  const transposeB = rand() < 0.5;
  const a = host(rand, [...batchA, ...(transposeA ? [k, m] : [m, k])]);
  const b = host(rand, [...batchB, ...(transposeB ? [n, k] : [k, n])]);
  return { label: `a ${a.shape} b ${b.shape} tA=${transposeA} tB=${transposeB}`, a, b, transposeA, transposeB };
}

async function both(kernel: string, inputs: Record<string, HostTensor>, attrs: Record<string, unknown>) {
  const expected = await runKernel(tf, 'cpu', kernel, inputs, attrs);
  const actual = await runKernel(tf, 'wasm', kernel, inputs, attrs);
  return { expected, actual };
}

test('BatchMatMul on wasm matches cpu for every transpose, with and without batch dimensions', async () => {
  const rand = seeded(11);
  const batches: [number[], number[]][] = [
    [[], []],
    [[1], [1]],
    [[3], []],
    [[2, 3], [1]],
    [[1], []],
  ];
  for (let i = 0; i < 40; i++) {
    const [batchA, batchB] = batches[i % batches.length]!;
    const c = randomCase(rand, batchA, batchB);
    const { expected, actual } = await both('BatchMatMul', { a: c.a, b: c.b }, { transposeA: c.transposeA, transposeB: c.transposeB });
    assert.deepEqual(actual.shape, expected.shape, `${c.label}: shape`);
    assertClose(actual.values, expected.values, RTOL, c.label);
  }
});

test('BatchMatMul on wasm still computes products with a batched right operand (the backend kernel)', async () => {
  const rand = seeded(12);
  for (let i = 0; i < 6; i++) {
    const c = randomCase(rand, [2], [2]);
    assert.equal(convertibleMatMul({ a: c.a as never, b: c.b as never, transposeA: c.transposeA, transposeB: c.transposeB }), false);
    const { expected, actual } = await both('BatchMatMul', { a: c.a, b: c.b }, { transposeA: c.transposeA, transposeB: c.transposeB });
    assert.deepEqual(actual.shape, expected.shape, `${c.label}: shape`);
    assertClose(actual.values, expected.values, RTOL, c.label);
  }
});

test('BatchMatMul on wasm multiplies the large transposed products of a Dense gradient', async () => {
  const rand = seeded(13);
  // dW = x^T dy and dx = dy W^T for a 300 -> 70 Dense layer on a batch of 33.
  const x = host(rand, [33, 300]);
  const dy = host(rand, [33, 70]);
  const w = host(rand, [300, 70]);
  for (const [label, inputs, attrs] of [
    ['x^T dy', { a: x, b: dy }, { transposeA: true, transposeB: false }],
    ['dy W^T', { a: dy, b: w }, { transposeA: false, transposeB: true }],
    ['x W', { a: x, b: w }, { transposeA: false, transposeB: false }],
  ] as const) {
    const { expected, actual } = await both('BatchMatMul', inputs, attrs);
    assert.deepEqual(actual.shape, expected.shape, `${label}: shape`);
    assertClose(actual.values, expected.values, RTOL, label);
  }
});

test('_FusedMatMul on wasm matches cpu with bias and each activation', async () => {
  const rand = seeded(14);
  const activations = ['linear', 'relu', 'relu6', 'sigmoid', 'elu', 'leakyrelu'];
  for (let i = 0; i < 24; i++) {
    const c = randomCase(rand, i % 3 === 0 ? [2] : [], []);
    const n = c.transposeB ? c.b.shape.at(-2)! : c.b.shape.at(-1)!;
    const activation = activations[i % activations.length]!;
    const inputs: Record<string, HostTensor> = { a: c.a, b: c.b };
    // Scaled up so relu6's upper clamp is reached.
    if (i % 4 !== 3) inputs.bias = { values: randomValues(rand, n).map((v) => v * 8), shape: [n] };
    const attrs = { transposeA: c.transposeA, transposeB: c.transposeB, activation, leakyreluAlpha: 0.2 };
    const { expected, actual } = await both('_FusedMatMul', inputs, attrs);
    assert.deepEqual(actual.shape, expected.shape, `${c.label} ${activation}: shape`);
    assertClose(actual.values, expected.values, RTOL, `${c.label} ${activation}`);
  }
});

test('tf.matMul and tf.fused.matMul gradients on wasm match cpu', async () => {
  const rand = seeded(15);
  const a = host(rand, [5, 7]);
  const b = host(rand, [7, 4]);
  const bias = host(rand, [4]);
  const grads = async (backend: 'cpu' | 'wasm') => {
    await tf.setBackend(backend);
    return tf.tidy(() => {
      const [ta, tb, tbias] = [a, b, bias].map((h) => tf.tensor(h.values, h.shape));
      const f = (x: InstanceType<TfModule['Tensor']>, y: InstanceType<TfModule['Tensor']>, z: InstanceType<TfModule['Tensor']>) =>
        tf.fused.matMul({ a: x as never, b: y as never, bias: z, activation: 'relu' }).square().sum();
      const g = tf.grads(f)([ta!, tb!, tbias!]);
      return g.map((t) => t.dataSync() as Float32Array);
    });
  };
  const expected = await grads('cpu');
  const actual = await grads('wasm');
  expected.forEach((e, i) => assertClose(actual[i]!, e, RTOL, `gradient ${i}`));
});

test('a batched left operand times an unbatched right one, transposed, on wasm matches cpu', async () => {
  // The backend's own kernels trap on this case ("remainder by zero").
  const rand = seeded(16);
  const a = host(rand, [2, 4, 5]);
  const b = host(rand, [5, 4]);
  const attrs = { transposeA: true, transposeB: true };
  const { expected, actual } = await both('BatchMatMul', { a, b }, attrs);
  assert.deepEqual(actual.shape, expected.shape);
  assertClose(actual.values, expected.values, RTOL, 'batched a^T b^T');
  const fused = await both('_FusedMatMul', { a, b, bias: host(rand, [5]) }, { ...attrs, activation: 'relu' });
  assertClose(fused.actual.values, fused.expected.values, RTOL, 'fused batched a^T b^T');
});

test('a wide transposed b (a Dense layer\'s input gradient) runs as (b^T a^T)^T and matches cpu', async () => {
  // dx = dy [128,128] x w^T, w [6400,128]: packing a 128x128 filter instead of w^T.
  assert.equal(cheaperTransposed(128, 128, 6400, false, true), true);
  // The forward product x [128,6400] x w [6400,128] and dw = x^T dy stay as they are.
  assert.equal(cheaperTransposed(128, 6400, 128, false, false), false);
  assert.equal(cheaperTransposed(6400, 128, 128, true, false), false);
  const rand = seeded(31);
  for (const [m, k, n, transposeA, transposeB] of [
    [6, 5, 70, false, true],
    [6, 5, 70, true, true],
    [3, 4, 90, false, false],
    [3, 4, 90, true, false],
  ] as const) {
    assert.equal(cheaperTransposed(m, k, n, transposeA, transposeB), true, `${m}x${k}x${n}`);
    const a = host(rand, transposeA ? [k, m] : [m, k]);
    const b = host(rand, transposeB ? [n, k] : [k, n]);
    const label = `a ${a.shape} b ${b.shape} tA=${transposeA} tB=${transposeB}`;
    for (const bShape of [b.shape, [1, ...b.shape]]) {
      const { expected, actual } = await both('BatchMatMul', { a, b: { ...b, shape: bShape } }, { transposeA, transposeB });
      assert.deepEqual(actual.shape, expected.shape, `${label}: shape`);
      assertClose(actual.values, expected.values, RTOL, label);
    }
  }
});
