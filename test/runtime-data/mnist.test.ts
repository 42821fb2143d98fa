import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { loadData } from '../../src/runtime/data/index.js';
import { request } from './helpers.js';

/** The package's own digit files, read independently of the loader. */
const packageDigits = Array.from({ length: 10 }, (_, d) => {
  const file = createRequire(import.meta.url).resolve(`mnist/src/digits/${d}.json`);
  return (JSON.parse(readFileSync(file, 'utf8')) as { data: number[] }).data;
});

function countByClass(y: Float32Array): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const v of y) counts[v]++;
  return counts;
}

describe('mnist (bundled digits)', async () => {
  const sparse = await loadData(request('mnist', { inputShape: [28, 28, 1], labelMode: 'sparse' }));

  const perClass = packageDigits.map((d) => d.length / 784);

  it('holds all 10,000 digits, every 5th of each class in test', () => {
    assert.equal(
      perClass.reduce((a, b) => a + b),
      10000,
    );
    assert.equal(sparse.train.count + sparse.test!.count, 10000);
    assert.deepEqual(
      countByClass(sparse.test!.y),
      perClass.map((n) => Math.floor(n / 5)),
    );
    assert.deepEqual(
      countByClass(sparse.train.y),
      perClass.map((n) => n - Math.floor(n / 5)),
    );
    assert.deepEqual(sparse.train.xShape, [sparse.train.count, 28, 28, 1]);
    assert.deepEqual(sparse.train.yShape, [sparse.train.count, 1]);
    assert.deepEqual(sparse.test?.xShape, [sparse.test!.count, 28, 28, 1]);
    assert.ok(Math.abs(sparse.test!.count - 2000) < 10);
  });

  it('interleaves the classes in both splits', () => {
    assert.deepEqual(Array.from(sparse.train.y.subarray(0, 20)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(Array.from(sparse.test!.y.subarray(0, 10)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // The first test 0 is the 5th 0 of the package.
    assert.deepEqual(Array.from(sparse.test!.x.subarray(0, 784)), Array.from(Float32Array.from(packageDigits[0].slice(4 * 784, 5 * 784))));
  });

  it('keeps the package pixels, already in [0, 1]', () => {
    let min = Infinity;
    let max = -Infinity;
    for (const v of sparse.train.x) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assert.equal(min, 0);
    assert.equal(max, 1);
    // The first training sample is the first 0 in the package; the second the first 1.
    assert.deepEqual(Array.from(sparse.train.x.subarray(0, 784)), Array.from(Float32Array.from(packageDigits[0].slice(0, 784))));
    assert.deepEqual(Array.from(sparse.train.x.subarray(784, 1568)), Array.from(Float32Array.from(packageDigits[1].slice(0, 784))));
  });

  it('is deterministic: a second load is identical', async () => {
    const again = await loadData(request('mnist', { inputShape: [28, 28, 1], labelMode: 'sparse' }));
    assert.deepEqual(again.train.x, sparse.train.x);
    assert.deepEqual(again.train.y, sparse.train.y);
    assert.deepEqual(again.test!.x, sparse.test!.x);
  });

  it('reshapes to a 784 input, one-hot labels, and a limit takes the first N with every class', async () => {
    const flat = await loadData(request('mnist', { inputShape: [784], labelMode: 'onehot', limit: 50 }));
    assert.deepEqual(flat.train.xShape, [50, 784]);
    assert.deepEqual(flat.train.yShape, [50, 10]);
    assert.deepEqual(flat.train.x, sparse.train.x.subarray(0, 50 * 784));
    for (let i = 0; i < 50; i++) {
      const row = Array.from(flat.train.y.subarray(i * 10, i * 10 + 10));
      assert.deepEqual(
        row,
        row.map((_, c) => (c === sparse.train.y[i] ? 1 : 0)),
      );
    }
    assert.deepEqual(
      countByClass(Float32Array.from(sparse.train.y.subarray(0, 50))).every((n) => n > 0),
      true,
    );
    assert.equal(flat.test?.count, sparse.test!.count);
    assert.match(flat.description, new RegExp(`mnist package: 50 train .*, ${sparse.test!.count} test`));
  });
});
