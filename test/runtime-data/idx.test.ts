import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { loadData } from '../../src/runtime/data/index.js';
import { assertDataError, idxBytes, request, tempDir, writeIdx } from './helpers.js';

/** n images of 2x3 pixels where image i has pixel values i*10 + p, and labels i % 3. */
function pixels(n: number): number[] {
  return Array.from({ length: n * 6 }, (_, k) => Math.floor(k / 6) * 10 + (k % 6));
}
function labels(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i % 3);
}

function writeSet(dir: string, opts: { gzip?: boolean; dotted?: boolean; train?: number; test?: number } = {}): void {
  mkdirSync(dir, { recursive: true });
  const name = (split: string, kind: string, tag: string) =>
    `${split}-${kind}${opts.dotted ? '.' : '-'}${tag}-ubyte${opts.gzip ? '.gz' : ''}`;
  const train = opts.train ?? 5;
  writeIdx(join(dir, name('train', 'images', 'idx3')), [train, 2, 3], pixels(train), opts);
  writeIdx(join(dir, name('train', 'labels', 'idx1')), [train], labels(train), opts);
  if (opts.test !== 0) {
    const test = opts.test ?? 2;
    writeIdx(join(dir, name('t10k', 'images', 'idx3')), [test, 2, 3], pixels(test).reverse(), opts);
    writeIdx(join(dir, name('t10k', 'labels', 'idx1')), [test], labels(test), opts);
  }
}

const expectedTrainX = Float32Array.from(pixels(5), (v) => v / 255);

describe('idx:DIR', () => {
  const root = tempDir();

  it('reads plain IDX files, scaled to [0, 1], train and t10k', async () => {
    writeSet(join(root, 'plain'));
    const d = await loadData(request(`idx:${join(root, 'plain')}`, { inputShape: [2, 3], outputUnits: 3 }));
    assert.deepEqual(d.train.x, expectedTrainX);
    assert.deepEqual(d.train.xShape, [5, 2, 3]);
    assert.deepEqual(Array.from(d.train.y), [0, 1, 2, 0, 1]);
    assert.deepEqual(d.test?.xShape, [2, 2, 3]);
    assert.deepEqual(
      d.test?.x,
      Float32Array.from(pixels(2).reverse(), (v) => v / 255),
    );
  });

  it('reads gzipped files and the dotted names, reshaping 2x3 to 6 or 2x3x1', async () => {
    writeSet(join(root, 'gz'), { gzip: true, dotted: true });
    const flat = await loadData(request(`idx:${join(root, 'gz')}`, { inputShape: [6], outputUnits: 3, labelMode: 'onehot' }));
    assert.deepEqual(flat.train.x, expectedTrainX);
    assert.deepEqual(flat.train.xShape, [5, 6]);
    assert.deepEqual(Array.from(flat.train.y.subarray(0, 6)), [1, 0, 0, 0, 1, 0]);
    const cube = await loadData(request(`idx:${join(root, 'gz')}`, { inputShape: [2, 3, 1], outputUnits: 3 }));
    assert.deepEqual(cube.train.xShape, [5, 2, 3, 1]);
  });

  it('works without t10k files and honours a limit', async () => {
    writeSet(join(root, 'trainonly'), { test: 0 });
    const d = await loadData(request(`idx:${join(root, 'trainonly')}`, { inputShape: [6], outputUnits: 3, limit: 2 }));
    assert.equal(d.test, undefined);
    assert.equal(d.train.count, 2);
    assert.deepEqual(d.train.x, expectedTrainX.subarray(0, 12));
  });

  it('rejects a wrong magic number, naming the file', async () => {
    const dir = join(root, 'magic');
    writeSet(dir, { test: 0 });
    writeIdx(join(dir, 'train-images-idx3-ubyte'), [5, 2, 3], pixels(5), { magic: 0x00000801 + 0x10000 });
    await assertDataError(() => loadData(request(`idx:${dir}`, { inputShape: [6], outputUnits: 3 })), {
      message: /wrong magic number 0x00010801.*0x00000803/,
      file: join(dir, 'train-images-idx3-ubyte'),
    });
  });

  it('says so when labels and images are swapped', async () => {
    const dir = join(root, 'swapped');
    writeSet(dir, { test: 0 });
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), idxBytes([5], labels(5)));
    await assertDataError(() => loadData(request(`idx:${dir}`, { inputShape: [6], outputUnits: 3 })), {
      message: /wrong magic number 0x00000801/,
      file: join(dir, 'train-images-idx3-ubyte'),
      help: /labels file/,
    });
  });

  it('rejects a truncated file, naming the image where the data ends', async () => {
    const dir = join(root, 'truncated');
    writeSet(dir, { test: 0 });
    // 5 images promised, 2 whole images and half of the third present.
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), idxBytes([5, 2, 3], pixels(5)).subarray(0, 16 + 6 * 2 + 3));
    await assertDataError(() => loadData(request(`idx:${dir}`, { inputShape: [6], outputUnits: 3 })), {
      message: /truncated.*5 images of 2x3.*ends in image 3/,
      file: join(dir, 'train-images-idx3-ubyte'),
      record: 'image 3 of train-images-idx3-ubyte',
    });
  });

  it('rejects a truncated gzip archive', async () => {
    const dir = join(root, 'badgz');
    writeSet(dir, { test: 0, gzip: true });
    const gz = gzipSync(idxBytes([5], labels(5)));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), gz.subarray(0, gz.length - 6));
    await assertDataError(() => loadData(request(`idx:${dir}`, { inputShape: [6], outputUnits: 3 })), {
      message: /gzip/,
      file: join(dir, 'train-labels-idx1-ubyte.gz'),
    });
  });

  it('unpacks a gzip file no further than its header promises', async () => {
    const dir = join(root, 'bomb');
    writeSet(dir, { test: 0 });
    // Five 2x3 images promised, then 50 MB of zeros that compress to about 50 KB.
    const bomb = gzipSync(Buffer.concat([idxBytes([5, 2, 3], pixels(5)), Buffer.alloc(50_000_000)]));
    rmSync(join(dir, 'train-images-idx3-ubyte'));
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), bomb);
    await assertDataError(() => loadData(request(`idx:${dir}`, { inputShape: [6], outputUnits: 3 })), {
      message: /unpacks to more than the 46 bytes its header promises/,
      file: join(dir, 'train-images-idx3-ubyte.gz'),
    });
  });

  it('refuses a set of 0 images instead of training on nothing', async () => {
    const dir = join(root, 'empty-set');
    writeSet(dir, { train: 0, test: 0 });
    await assertDataError(() => loadData(request(`idx:${dir}`, { inputShape: [6], outputUnits: 3 })), {
      message: /the data holds no samples/,
      file: dir,
    });
  });

  it('refuses a device where a data file is expected', async () => {
    await assertDataError(() => loadData(request('csv:/dev/zero', { inputShape: [6], outputUnits: 3 })), {
      message: /it is a device, not a file/,
      file: '/dev/zero',
    });
  });

  it('rejects image and label counts that differ', async () => {
    const dir = join(root, 'counts');
    writeSet(dir, { test: 0 });
    writeIdx(join(dir, 'train-labels-idx1-ubyte'), [4], labels(4));
    await assertDataError(() => loadData(request(`idx:${dir}`, { inputShape: [6], outputUnits: 3 })), {
      message: /train-images-idx3-ubyte has 5 images but train-labels-idx1-ubyte has 4 labels/,
      file: join(dir, 'train-labels-idx1-ubyte'),
    });
  });

  it('names a missing file and lists the expected ones', async () => {
    const dir = join(root, 'missing');
    mkdirSync(dir);
    writeIdx(join(dir, 'train-images-idx3-ubyte'), [5, 2, 3], pixels(5));
    await assertDataError(() => loadData(request(`idx:${dir}`, { inputShape: [6], outputUnits: 3 })), {
      message: /no train-labels-idx1-ubyte/,
      file: dir,
      help: /t10k-images-idx3-ubyte/,
    });
    await assertDataError(() => loadData(request(`idx:${join(root, 'nowhere')}`)), {
      message: /no such file or folder/,
      file: join(root, 'nowhere'),
    });
  });

  it('rejects a label beyond the model outputs, naming the record', async () => {
    writeSet(join(root, 'range'), { test: 0 });
    await assertDataError(() => loadData(request(`idx:${join(root, 'range')}`, { inputShape: [6], outputUnits: 2 })), {
      message: /label 2 in item 3 of train-labels-idx1-ubyte is outside the model's 2 classes \(0–1\)/,
      file: join(root, 'range', 'train-labels-idx1-ubyte'),
      record: 'item 3 of train-labels-idx1-ubyte',
      help: /dense 3 softmax/,
    });
  });

  it('rejects an input whose size does not match the images', async () => {
    writeSet(join(root, 'shape'), { test: 0 });
    await assertDataError(() => loadData(request(`idx:${join(root, 'shape')}`, { inputShape: [28, 28, 1], outputUnits: 3 })), {
      message: /the data has 2x3 values \(6 in all\) per sample; the spec's input is 28x28x1 \(784 values\)/,
      file: join(root, 'shape'),
      help: /`input 2x3` or `input 6`/,
    });
  });
});
