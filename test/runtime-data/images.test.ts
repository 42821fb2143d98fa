import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { loadData, loadImageFiles } from '../../src/runtime/data/index.js';
import { assertDataError, request, tempDir } from './helpers.js';

type Rgb = [number, number, number];

/** A solid-colour image, so any resize keeps its pixel values. */
async function solid(file: string, [r, g, b]: Rgb, size = 6): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  const image = sharp({ create: { width: size, height: size + 2, channels: 3, background: { r, g, b } } });
  await (file.endsWith('.png') ? image.png() : image.jpeg({ quality: 100 })).toFile(file);
}

const CAT: Rgb = [200, 40, 10];
const DOG: Rgb = [20, 100, 240];
const scaled = (c: Rgb, pixels: number) => Float32Array.from({ length: pixels * 3 }, (_, k) => c[k % 3] / 255);
/** The grayscale value Keras (PIL's convert('L')) gives a colour: ITU-R 601-2 luma. */
const luma = ([r, g, b]: Rgb) => Math.round((r * 299 + g * 587 + b * 114) / 1000) / 255;

describe('images:DIR', () => {
  const root = tempDir();

  it('reads a folder per class, sorted classes, every 5th of each class held out', async () => {
    const dir = join(root, 'folders');
    for (let i = 1; i <= 5; i++) {
      await solid(join(dir, 'dog', `${i}.png`), DOG);
      await solid(join(dir, 'cat', `${i}.png`), CAT);
    }
    const d = await loadData(request(`images:${dir}`, { inputShape: [3, 4, 3], outputUnits: 2 }));
    assert.deepEqual(d.classNames, ['cat', 'dog']);
    assert.deepEqual(d.train.xShape, [8, 3, 4, 3]);
    assert.deepEqual(Array.from(d.train.y), [0, 1, 0, 1, 0, 1, 0, 1]);
    assert.deepEqual(d.train.x.subarray(0, 36), scaled(CAT, 12));
    assert.deepEqual(d.train.x.subarray(36, 72), scaled(DOG, 12));
    assert.deepEqual(d.test?.xShape, [2, 3, 4, 3]);
    assert.deepEqual(Array.from(d.test!.y), [0, 1]);
  });

  it('takes the class from a cat.1.jpg name prefix, in grayscale', async () => {
    const dir = join(root, 'kaggle');
    for (let i = 1; i <= 3; i++) {
      await solid(join(dir, `cat.${i}.jpg`), CAT);
      await solid(join(dir, `dog.${i}.jpg`), DOG);
    }
    writeFileSync(join(dir, 'notes.txt'), 'not an image');
    const d = await loadData(request(`images:${dir}`, { inputShape: [2, 2, 1], outputUnits: 2, labelMode: 'onehot' }));
    assert.deepEqual(d.classNames, ['cat', 'dog']);
    assert.equal(d.train.count + (d.test?.count ?? 0), 6);
    assert.deepEqual(Array.from(d.train.y.subarray(0, 4)), [1, 0, 0, 1]);
    // JPEG is lossy: within a few grey levels of the colour's luma.
    for (const v of d.train.x.subarray(0, 4)) assert.ok(Math.abs(v - luma(CAT)) < 4 / 255, `${v} vs ${luma(CAT)}`);
    for (const v of d.train.x.subarray(4, 8)) assert.ok(Math.abs(v - luma(DOG)) < 4 / 255, `${v} vs ${luma(DOG)}`);
  });

  it('uses train/ and test/ folders when both exist', async () => {
    const dir = join(root, 'presplit');
    await solid(join(dir, 'train', 'cat', 'a.png'), CAT);
    await solid(join(dir, 'train', 'dog', 'a.png'), DOG);
    await solid(join(dir, 'train', 'dog', 'b.png'), DOG);
    await solid(join(dir, 'test', 'cat', 'c.png'), CAT);
    const d = await loadData(request(`images:${dir}`, { inputShape: [2, 2, 3], outputUnits: 2 }));
    assert.deepEqual(Array.from(d.train.y), [0, 1, 1]);
    assert.deepEqual(Array.from(d.test!.y), [0]);
    assert.deepEqual(d.test!.x, scaled(CAT, 4));
  });

  it('follows no symbolic link out of the data folder and visits no folder twice', async () => {
    const outside = join(root, 'outside-links');
    await solid(join(outside, 'stray', 'x.png'), DOG);
    const dir = join(outside, 'set');
    for (let i = 1; i <= 5; i++) {
      await solid(join(dir, 'cat', `${i}.png`), CAT);
      await solid(join(dir, 'dog', `${i}.png`), DOG);
    }
    // A link to the parent (which holds the set itself), to the root of the disk, and back to the set.
    symlinkSync('..', join(dir, 'cat', 'up'));
    symlinkSync('/', join(dir, 'dog', 'everything'));
    symlinkSync(dir, join(dir, 'cat', 'loop'));
    // A class folder that is a link to another class's folder would label its images twice.
    symlinkSync(join(dir, 'cat'), join(dir, 'kitten'));
    const d = await loadData(request(`images:${dir}`, { inputShape: [3, 4, 3], outputUnits: 3 }));
    assert.equal(d.train.count + (d.test?.count ?? 0), 10, 'the 10 images, each once');
    assert.deepEqual(d.classNames, ['cat', 'dog']);
  });

  it('labels images by a saved model\'s class names, and rejects a class it does not know', async () => {
    const dir = join(root, 'subset');
    for (let i = 1; i <= 5; i++) await solid(join(dir, 'dog', `${i}.png`), DOG);
    // The model was trained on bird, cat, dog: a folder of dogs alone is class 2, not class 0.
    const d = await loadData(request(`images:${dir}`, { inputShape: [3, 4, 3], outputUnits: 3, classNames: ['bird', 'cat', 'dog'] }));
    assert.deepEqual(d.classNames, ['bird', 'cat', 'dog']);
    assert.deepEqual(Array.from(d.train.y), [2, 2, 2, 2]);
    await solid(join(dir, 'eel', '1.png'), CAT);
    await assertDataError(() => loadData(request(`images:${dir}`, { inputShape: [3, 4, 3], outputUnits: 3, classNames: ['bird', 'cat', 'dog'] })), {
      message: /the class `eel` is not one of the model's classes/,
      file: join(dir, 'eel'),
    });
  });

  it('loads single files for predict', async () => {
    const file = join(root, 'single', 'one.png');
    await solid(file, DOG, 10);
    const inputs = await loadImageFiles([file, file], [5, 5, 3]);
    assert.deepEqual(inputs.xShape, [2, 5, 5, 3]);
    assert.deepEqual(inputs.x, scaled(DOG, 50));
    const gray = await loadImageFiles([file], [5, 5]);
    assert.deepEqual(gray.xShape, [1, 5, 5]);
    assert.deepEqual(gray.x, new Float32Array(25).fill(luma(DOG)));
  });

  it('rejects a corrupt image, naming it', async () => {
    const dir = join(root, 'corrupt');
    await solid(join(dir, 'cat', '1.png'), CAT);
    await solid(join(dir, 'dog', '1.png'), DOG);
    mkdirSync(join(dir, 'dog'), { recursive: true });
    writeFileSync(join(dir, 'dog', '2.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    await assertDataError(() => loadData(request(`images:${dir}`, { inputShape: [2, 2, 3], outputUnits: 2 })), {
      message: /cannot decode the image/,
      file: join(dir, 'dog', '2.jpg'),
      record: join('dog', '2.jpg'),
    });
    await assertDataError(() => loadImageFiles([join(dir, 'dog', '2.jpg')], [2, 2, 3]), {
      message: /cannot decode/,
      file: join(dir, 'dog', '2.jpg'),
      record: '2.jpg',
    });
  });

  it('rejects a folder without images, with one class, or with unnamed images', async () => {
    const empty = join(root, 'empty');
    mkdirSync(join(empty, 'sub'), { recursive: true });
    writeFileSync(join(empty, 'readme.md'), '');
    await assertDataError(() => loadData(request(`images:${empty}`, { inputShape: [2, 2, 3] })), {
      message: /no images/,
      file: empty,
      help: /folder per class/,
    });
    const one = join(root, 'one');
    await solid(join(one, 'cat', '1.png'), CAT);
    await assertDataError(() => loadData(request(`images:${one}`, { inputShape: [2, 2, 3] })), {
      message: /one class, `cat`/,
      file: one,
    });
    const unnamed = join(root, 'unnamed');
    await solid(join(unnamed, '17.png'), CAT);
    await assertDataError(() => loadData(request(`images:${unnamed}`, { inputShape: [2, 2, 3] })), {
      message: /cannot tell the class/,
      file: join(unnamed, '17.png'),
      record: '17.png',
    });
  });

  it('rejects an input that is not an image shape, and too few outputs for the classes', async () => {
    const dir = join(root, 'folders');
    await assertDataError(() => loadData(request(`images:${dir}`, { inputShape: [784] })), {
      message: /HxWxC.*the spec's input is 784/,
      file: dir,
    });
    await assertDataError(() => loadData(request(`images:${dir}`, { inputShape: [null, null, 3] })), {
      message: /input is \?x\?x3/,
      file: dir,
    });
    await assertDataError(() => loadData(request(`images:${dir}`, { inputShape: [2, 2, 3], outputUnits: 1, labelMode: 'onehot' })), {
      message: /2 classes \(cat, dog\), but the model's output has 1 unit$/,
      file: dir,
      help: /dense 2 softmax/,
    });
    await assertDataError(() => loadData(request(`images:${dir}`, { inputShape: [2, 2, 3], inputDtype: 'int32' })), {
      message: /int32/,
      file: dir,
    });
  });
});
