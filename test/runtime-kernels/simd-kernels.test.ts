/**
 * mlc's WebAssembly SIMD kernels (src/runtime/kernels/simd): the committed
 * module matches its source, it runs on the backend's memory, and each kernel
 * gives exactly the cpu backend's result, ties, NaN, Infinity and -0 included
 * (the bias-gradient Sum: exactly the JavaScript kernel's, which sums in float64).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import type { TfModule } from '../../src/runtime/backend/select.js';
import { GENERATED_PATH, generateSimdKernelsModule } from '../../src/runtime/kernels/simd/gen-simd-kernels.js';
import { sumMiddleAxis } from '../../src/runtime/kernels/reduce-sum.js';
import { simdKernelsOf } from '../../src/runtime/kernels/simd-kernels.js';
import { randomInt, randomValues, runKernel, seeded, wasmTf } from './helpers.js';

let tf: TfModule;
before(async () => {
  tf = await wasmTf();
});

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Values with many ties at 0 (as relu outputs have), and some of every special float. */
function awkwardValues(rand: () => number, n: number): Float32Array {
  const pool = [0, -0, 0, 1, -1, Infinity, -Infinity, NaN];
  return Float32Array.from({ length: n }, () => (rand() < 0.5 ? rand() * 2 - 1 : pool[randomInt(rand, 0, pool.length - 1)]!));
}

/** Equal element for element, NaN equal to NaN and 0 unequal to -0 (Object.is). */
function assertSameFloats(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) assert.fail(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
  }
}

test('the committed SIMD module is assembled from the current kernels.wat', async () => {
  assert.equal(readFileSync(GENERATED_PATH, 'utf8'), await generateSimdKernelsModule(), 'run: npx tsx src/runtime/kernels/simd/gen-simd-kernels.ts');
});

test('the SIMD kernels instantiate on the wasm backend memory', async () => {
  await tf.setBackend('wasm');
  assert.ok(simdKernelsOf(tf.backend()), 'the SIMD kernels did not instantiate, so the JavaScript kernels would run instead');
});

test('MaxPoolGrad by SIMD matches cpu exactly: tiled windows, channels a multiple of 4, uncovered edges', async () => {
  const rand = seeded(31);
  const cases: { xShape: number[]; filterSize: [number, number]; strides: [number, number] }[] = [
    { xShape: [2, 20, 20, 64], filterSize: [2, 2], strides: [2, 2] }, // fully covered, as in the tutorial CNN
    { xShape: [1, 7, 9, 8], filterSize: [2, 2], strides: [2, 2] }, // a row and a column left over
    { xShape: [2, 9, 9, 4], filterSize: [2, 3], strides: [3, 3] }, // stride above the pool height
  ];
  for (let i = 0; i < 20; i++) {
    const filterSize: [number, number] = [randomInt(rand, 1, 3), randomInt(rand, 1, 3)];
    const strides: [number, number] = [filterSize[0] + randomInt(rand, 0, 1), filterSize[1] + randomInt(rand, 0, 1)];
    cases.push({ xShape: [randomInt(rand, 1, 3), randomInt(rand, 3, 10), randomInt(rand, 3, 10), 4 * randomInt(rand, 1, 4)], filterSize, strides });
  }
  for (const [i, { xShape, filterSize, strides }] of cases.entries()) {
    const attrs = { filterSize, strides, pad: 'valid' };
    const input = { values: awkwardValues(rand, size(xShape)), shape: xShape };
    const output = await runKernel(tf, 'cpu', 'MaxPool', { x: input }, attrs);
    const dy = { values: awkwardValues(rand, size(output.shape)), shape: output.shape };
    const inputs = { dy, input, output: { values: output.values, shape: output.shape } };
    const expected = await runKernel(tf, 'cpu', 'MaxPoolGrad', inputs, attrs);
    const actual = await runKernel(tf, 'wasm', 'MaxPoolGrad', inputs, attrs);
    assertSameFloats(actual.values, expected.values, `#${i} x=${xShape} filter=${filterSize} strides=${strides}`);
  }
});

test("relu's gradient on wasm (one SIMD pass) matches tfjs's on cpu exactly", async () => {
  const rand = seeded(32);
  // Sizes that are and are not multiples of four, so the scalar tail runs too.
  for (const shape of [[1], [3], [4], [7, 5], [2, 24, 24, 32], [randomInt(rand, 1, 40), randomInt(rand, 1, 40)]]) {
    const x = awkwardValues(rand, size(shape));
    const dy = awkwardValues(rand, size(shape));
    const gradientOn = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const [xt, dyt] = [tf.tensor(x, shape), tf.tensor(dy, shape)];
      const g = tf.grad((t: InstanceType<typeof tf.Tensor>) => tf.relu(t))(xt, dyt);
      const values = g.dataSync();
      tf.dispose([xt, dyt, g]);
      assert.equal(tf.memory().numTensors, before, `relu gradient on ${backend} leaked tensors`);
      return values;
    };
    assertSameFloats(await gradientOn('wasm'), await gradientOn('cpu'), `relu gradient of shape ${shape}`);
  }
});

test('the relu gradient kernel is used on wasm (one kernel instead of Step, Cast and Multiply)', async () => {
  await tf.setBackend('wasm');
  const x = tf.tensor(randomValues(seeded(33), 64), [8, 8]);
  const { kernelNames } = await tf.profile(() => tf.grad((t: InstanceType<typeof tf.Tensor>) => tf.relu(t))(x));
  x.dispose();
  assert.ok(kernelNames.includes('MlcReluGrad'), `kernels run: ${kernelNames}`);
  assert.ok(!kernelNames.includes('Step'), `kernels run: ${kernelNames}`);
});

test('Sum over leading axes by SIMD is bit for bit the JavaScript kernel (float64 sums, one rounding)', async () => {
  const rand = seeded(34);
  // [outer, reduced, inner]: reduced counts that are and are not multiples of four.
  const blocks: [number, number, number][] = [[1, 51, 64], [2, 9, 32], [3, 4, 16], [1, 1, 48], [2, 3, 16]];
  for (const [outer, reduced, inner] of blocks) {
    // Values of very different sizes, so that the order of the additions shows in the result.
    const x = Float32Array.from({ length: outer * reduced * inner }, () => (rand() * 2 - 1) * 10 ** randomInt(rand, -6, 6));
    const expected = new Float32Array(outer * inner);
    sumMiddleAxis(x, expected, [outer, reduced, inner]);
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const xt = tf.tensor(x, [outer, reduced, inner]);
    const summed = tf.sum(xt, 1);
    const actual = summed.dataSync();
    tf.dispose([xt, summed]);
    assert.equal(tf.memory().numTensors, before, 'Sum leaked tensors');
    assertSameFloats(actual, expected, `sum of [${outer}, ${reduced}, ${inner}] over axis 1`);
  }
});
