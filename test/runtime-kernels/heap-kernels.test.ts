/**
 * mlc's JavaScript wasm kernels (MaxPoolGrad, Sum, Transpose, Reverse,
 * Identity, GatherV2) against the cpu backend's, on random shapes, with leak checks.
 * MaxPoolGrad, Transpose and Reverse must match exactly.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { TfModule } from '../../src/runtime/backend/select.js';
import { blockOfAxes } from '../../src/runtime/kernels/reduce-sum.js';
import { copiesRuns, transposeSource } from '../../src/runtime/kernels/strided-copy.js';
import { assertClose, randomInt, randomValues, runKernel, seeded, wasmTf, type HostTensor } from './helpers.js';

let tf: TfModule;
before(async () => {
  tf = await wasmTf();
});

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function randomShape(rand: () => number, rank: number, maxDim: number): number[] {
  return Array.from({ length: rank }, () => randomInt(rand, 1, maxDim));
}

function shuffled(rand: () => number, n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = randomInt(rand, 0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** Values with many ties (as relu outputs have), and some -Infinity and NaN. */
function tiedValues(rand: () => number, n: number): Float32Array {
  const pool = [0, 0, 0, 1, 2, -1, -Infinity, NaN];
  return Float32Array.from({ length: n }, () => (rand() < 0.3 ? rand() : pool[randomInt(rand, 0, pool.length - 1)]!));
}

async function sameOnBackends(kernel: string, inputs: Record<string, HostTensor>, attrs: Record<string, unknown>, label: string) {
  const expected = await runKernel(tf, 'cpu', kernel, inputs, attrs);
  const actual = await runKernel(tf, 'wasm', kernel, inputs, attrs);
  assert.deepEqual(actual.shape, expected.shape, `${kernel} ${label}: shape`);
  assert.deepEqual(Array.from(actual.values), Array.from(expected.values), `${kernel} ${label}`);
}

type PoolPad = 'valid' | 'same' | number;

test('MaxPoolGrad on wasm matches cpu exactly, ties and overlapping windows included', async () => {
  const rand = seeded(21);
  let checked = 0;
  for (let i = 0; checked < 60; i++) {
    const xShape = [randomInt(rand, 1, 3), randomInt(rand, 1, 9), randomInt(rand, 1, 9), randomInt(rand, 1, 5)];
    const filterSize: [number, number] = [randomInt(rand, 1, 3), randomInt(rand, 1, 3)];
    const strides: [number, number] = [randomInt(rand, 1, 3), randomInt(rand, 1, 3)];
    const pads: PoolPad[] = ['valid', 'same', 0, 1];
    const pad = pads[randomInt(rand, 0, pads.length - 1)]!;
    const dimRoundingMode = typeof pad === 'number' ? (['floor', 'round', 'ceil'] as const)[randomInt(rand, 0, 2)] : undefined;
    const attrs = { filterSize, strides, pad, dimRoundingMode };
    let outShape: number[];
    try {
      outShape = tf.backend_util.computePool2DInfo(xShape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode).outShape;
    } catch {
      continue;
    }
    if (outShape.some((d) => d < 1)) continue;
    const input = { values: tiedValues(rand, size(xShape)), shape: xShape };
    const output = await runKernel(tf, 'cpu', 'MaxPool', { x: input }, attrs);
    const dy = { values: randomValues(rand, size(outShape)), shape: outShape };
    const label = `#${i} x=${xShape} filter=${filterSize} strides=${strides} pad=${pad} ${dimRoundingMode ?? ''}`;
    await sameOnBackends('MaxPoolGrad', { dy, input, output: { values: output.values, shape: output.shape } }, attrs, label);
    checked++;
  }
});

test('MaxPoolGrad on wasm matches cpu exactly on a relu activation pooled 2x2', async () => {
  const rand = seeded(22);
  const xShape = [2, 20, 20, 16];
  const input = { values: Float32Array.from(randomValues(rand, size(xShape)), (v) => Math.max(v, 0)), shape: xShape };
  const attrs = { filterSize: 2, strides: 2, pad: 'valid' };
  const output = await runKernel(tf, 'cpu', 'MaxPool', { x: input }, attrs);
  const dy = { values: randomValues(rand, size(output.shape)), shape: output.shape };
  await sameOnBackends('MaxPoolGrad', { dy, input, output: { values: output.values, shape: output.shape } }, attrs, 'relu 2x2');
});

test('Sum on wasm matches cpu over every kind of axis set, float32 and int32', async () => {
  const rand = seeded(23);
  const cases: { shape: number[]; axis: number[] }[] = [{ shape: [3, 5, 5, 4], axis: [0, 1, 2] }];
  for (let i = 0; i < 50; i++) {
    const shape = randomShape(rand, randomInt(rand, 1, 5), 5);
    const axis = shuffled(rand, shape.length).slice(0, randomInt(rand, 0, shape.length));
    cases.push({ shape, axis: axis.map((a) => (rand() < 0.3 ? a - shape.length : a)) });
  }
  for (const [i, { shape, axis }] of cases.entries()) {
    const int = i % 3 === 2;
    const values = int ? Int32Array.from({ length: size(shape) }, () => randomInt(rand, -9, 9)) : randomValues(rand, size(shape));
    const attrs = { axis, keepDims: i % 2 === 1 };
    const inputs = { x: { values, shape, dtype: int ? ('int32' as const) : ('float32' as const) } };
    const label = `#${i} x=${shape} axis=${axis} keepDims=${attrs.keepDims}${int ? ' int32' : ''}`;
    const expected = await runKernel(tf, 'cpu', 'Sum', inputs, attrs);
    const actual = await runKernel(tf, 'wasm', 'Sum', inputs, attrs);
    assert.deepEqual(actual.shape, expected.shape, label);
    assertClose(actual.values, expected.values, 1e-6, `Sum ${label}`);
  }
});

test('Sum over the leading axes of NHWC (a bias gradient) is summed by mlc, not handed back to the backend', () => {
  assert.deepEqual(blockOfAxes([128, 20, 20, 64], [0, 1, 2]), [1, 128 * 20 * 20, 64]);
  assert.deepEqual(blockOfAxes([2, 3, 4, 5], [1, 2]), [2, 12, 5]);
  assert.equal(blockOfAxes([2, 3, 4, 5], [3]), undefined, 'innermost: the backend sums without a transpose');
  assert.equal(blockOfAxes([2, 3, 4, 5], [0, 2]), undefined, 'apart');
});

const DTYPES = ['float32', 'int32', 'bool'] as const;

function randomTensor(rand: () => number, shape: number[], dtype: (typeof DTYPES)[number]): HostTensor {
  const n = size(shape);
  if (dtype === 'float32') return { values: randomValues(rand, n), shape };
  return { values: Int32Array.from({ length: n }, () => randomInt(rand, dtype === 'bool' ? 0 : -99, dtype === 'bool' ? 1 : 99)), shape, dtype };
}

test('Transpose on wasm matches cpu exactly, tiles with ragged edges included', async () => {
  const rand = seeded(24);
  const cases: { shape: number[]; perm: number[] }[] = [
    { shape: [5, 40, 3, 35], perm: [3, 1, 2, 0] },
    { shape: [70, 33], perm: [1, 0] },
    { shape: [3, 4, 4, 1, 5], perm: [1, 2, 0, 3, 4] },
    // Planes big enough for the SIMD transpose's 4 x 4 blocks and 32 x 32 tiles, with edges left over.
    { shape: [37, 6, 5, 66], perm: [3, 1, 2, 0] },
    { shape: [131, 70], perm: [1, 0] },
    { shape: [64, 3, 3, 32], perm: [3, 1, 2, 0] },
  ];
  for (let i = 0; i < 40; i++) {
    const shape = randomShape(rand, randomInt(rand, 1, 5), 6);
    cases.push({ shape, perm: shuffled(rand, shape.length) });
  }
  for (const [i, { shape, perm }] of cases.entries()) {
    const dtype = DTYPES[i % 3]!;
    await sameOnBackends('Transpose', { x: randomTensor(rand, shape, dtype) }, { perm }, `#${i} x=${shape} perm=${perm} ${dtype}`);
  }
});

test('Transpose hands run copies (innermost axis kept) back to the backend and copies the rest itself', () => {
  assert.equal(copiesRuns(transposeSource([128, 20, 20, 64], [1, 2, 0, 3])), true);
  assert.equal(copiesRuns(transposeSource([128, 24, 24, 32], [3, 1, 2, 0])), false);
  assert.equal(copiesRuns(transposeSource([128, 6400], [1, 0])), false);
  assert.equal(copiesRuns(transposeSource([7, 1, 5], [1, 0, 2])), true);
});

test('Reverse on wasm matches cpu exactly', async () => {
  const rand = seeded(25);
  for (let i = 0; i < 40; i++) {
    const shape = randomShape(rand, randomInt(rand, 1, 4), 6);
    const dims = shuffled(rand, shape.length)
      .slice(0, randomInt(rand, 0, shape.length))
      .map((a) => (rand() < 0.3 ? a - shape.length : a));
    const dtype = DTYPES[i % 3]!;
    await sameOnBackends('Reverse', { x: randomTensor(rand, shape, dtype) }, { dims }, `#${i} x=${shape} dims=${dims} ${dtype}`);
  }
});

test('Identity on wasm shares the data it clones, which outlives the original', async () => {
  await tf.setBackend('wasm');
  const backend = tf.engine().backend;
  const before = backend.numDataIds();
  const original = tf.tensor([1, 2, 3, 4], [2, 2]);
  const clone = tf.clone(original);
  assert.equal(backend.numDataIds(), before + 1, 'the clone holds no copy');
  original.dispose();
  assert.deepEqual(Array.from(clone.dataSync()), [1, 2, 3, 4]);
  clone.dispose();
  assert.equal(backend.numDataIds(), before, 'the data goes with its last tensor');
});

test('GatherV2 on wasm matches cpu exactly: whole rows on axis 0 (repeats included), other axes via the backend', async () => {
  const rand = seeded(33);
  for (let i = 0; i < 30; i++) {
    const rank = randomInt(rand, 1, 4);
    const shape = randomShape(rand, rank, 6);
    const axis = rand() < 0.7 ? 0 : randomInt(rand, 0, rank - 1);
    const picks = Int32Array.from({ length: randomInt(rand, 0, 8) }, () => randomInt(rand, 0, shape[axis]! - 1));
    const dtype = (['float32', 'int32', 'bool'] as const)[randomInt(rand, 0, 2)];
    const n = size(shape);
    const values = dtype === 'float32' ? randomValues(rand, n) : Int32Array.from({ length: n }, () => randomInt(rand, dtype === 'bool' ? 0 : -9, dtype === 'bool' ? 1 : 9));
    await sameOnBackends('GatherV2', { x: { values, shape, dtype }, indices: { values: picks, shape: [picks.length], dtype: 'int32' } }, { axis, batchDims: 0 }, `${dtype} [${shape}] axis ${axis} picks [${picks}]`);
  }
});
