/**
 * The MNIST arrays every hand-written column trains on: digits from the
 * `mnist` package, classes interleaved (0,1,...,9,0,1,...) so any prefix is
 * balanced. They are written once to a flat file that the tfjs harness and
 * the PyTorch script both read, so both see exactly the same numbers:
 * N×784 float32 pixels in [0, 1], then N uint8 labels (little-endian).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const PIXELS = 784;

interface MnistDigit {
  length: number;
  get(which: number): number[];
}

export interface MnistArrays {
  count: number;
  /** count × 784, row-major. */
  pixels: Float32Array;
  labels: Uint8Array;
}

/** The first `count` samples, classes interleaved. */
export function loadMnist(count: number): MnistArrays {
  const digits = createRequire(import.meta.url)('mnist') as MnistDigit[];
  const perClass = Math.min(...digits.map((d) => d.length));
  if (count > perClass * 10) throw new Error(`the mnist package holds ${perClass * 10} balanced samples; asked for ${count}`);
  const pixels = new Float32Array(count * PIXELS);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % 10;
    pixels.set(digits[label]!.get(Math.floor(n / 10)), n * PIXELS);
    labels[n] = label;
  }
  return { count, pixels, labels };
}

export function writeMnistFile(path: string, data: MnistArrays): void {
  const pixelBytes = new Uint8Array(data.pixels.buffer, data.pixels.byteOffset, data.pixels.byteLength);
  const out = new Uint8Array(pixelBytes.length + data.labels.length);
  out.set(pixelBytes, 0);
  out.set(data.labels, pixelBytes.length);
  writeFileSync(path, out);
}

export function readMnistFile(path: string): MnistArrays {
  const bytes = readFileSync(path);
  const count = bytes.length / (PIXELS * 4 + 1);
  if (!Number.isInteger(count)) throw new Error(`${path} is not a bench MNIST file (size ${bytes.length})`);
  const pixels = new Float32Array(count * PIXELS);
  new Uint8Array(pixels.buffer).set(bytes.subarray(0, count * PIXELS * 4));
  return { count, pixels, labels: new Uint8Array(bytes.subarray(count * PIXELS * 4)) };
}
