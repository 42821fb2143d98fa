#!/usr/bin/env node
// Writes one of the MNIST digits bundled with the `mnist` package as a
// 28x28 grayscale PNG, to try `mlc predict` on:
//
//   node scripts/mnist-digit.mjs 7 digit7.png          # the first test-split 7
//   node scripts/mnist-digit.mjs 7 digit7.png --sample 12
//
// By default the digit is the first of the test split of `--data mnist`
// (every 5th sample of each digit, the 5th, 10th, ...), so a model trained by
// `mlc train` has not seen it. `--sample N` takes the Nth sample (1-based)
// of that digit's file instead, as data errors number them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import sharp from 'sharp';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
/** The first held-out sample: `mlc train` holds out every 5th (see src/runtime/data/samples.ts). */
const FIRST_TEST_SAMPLE = 5;

function fail(message) {
  process.stderr.write(`mnist-digit: ${message}\nusage: node scripts/mnist-digit.mjs DIGIT OUT.png [--sample N]\n`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { sample: { type: 'string' } } });
} catch (e) {
  fail(e.message);
}
const [digitArg, out] = parsed.positionals;
const digit = Number(digitArg);
if (!Number.isInteger(digit) || digit < 0 || digit > 9) fail(`DIGIT must be 0 to 9; got ${digitArg ?? 'nothing'}`);
if (out === undefined || !/\.png$/i.test(out)) fail('name the PNG file to write, e.g. digit7.png');
const sample = parsed.values.sample === undefined ? FIRST_TEST_SAMPLE : Number(parsed.values.sample);

const file = createRequire(import.meta.url).resolve(`mnist/src/digits/${digit}.json`);
const { data } = JSON.parse(readFileSync(file, 'utf8'));
const count = data.length / PIXELS;
if (!Number.isInteger(sample) || sample < 1 || sample > count) fail(`--sample must be 1 to ${count}; got ${parsed.values.sample}`);

// The package stores pixels as 0..1, white digit on black, as MNIST does.
const pixels = Uint8Array.from(data.slice((sample - 1) * PIXELS, sample * PIXELS), (v) => Math.round(v * 255));
await sharp(pixels, { raw: { width: SIDE, height: SIDE, channels: 1 } }).toColourspace('b-w').png().toFile(out);
process.stdout.write(`wrote ${out}: sample ${sample} of the digit ${digit} in ${file.replace(/^.*node_modules\//, '')}\n`);
