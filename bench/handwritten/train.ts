/**
 * One hand-written tfjs training run, as a child process of the bench:
 * model.fit for two epochs over the bench's MNIST file; the last epoch is
 * timed (the first one is warm-up: kernel setup, first allocations), as mlc
 * times its epochs. Prints one JSON line: {samplesPerSec, backend, ...}.
 *
 * Usage: node train.js --model mlp|cnn|lenet5 --backend wasm|cpu --data FILE
 *                      --samples N --batch B [--epochs 2]
 */
import { parseArgs } from 'node:util';
import { readMnistFile, PIXELS } from '../mnist-arrays.js';
import { benchModel } from '../models.js';
import { HANDWRITTEN } from './models.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    data: { type: 'string' },
    samples: { type: 'string' },
    batch: { type: 'string' },
    epochs: { type: 'string', default: '2' },
  },
});

async function main(): Promise<void> {
  const spec = benchModel(values.model ?? '');
  if (!values.data) throw new Error('--data FILE is required');
  const backend = values.backend === 'cpu' ? 'cpu' : 'wasm';
  const epochs = Number(values.epochs);
  const batch = Number(values.batch ?? spec.batch);
  // The same backend set-up mlc uses (wasm: SIMD, threads, the training kernels tfjs lacks).
  const { selectBackend } = await import('../../src/runtime/backend/select.js');
  const { tf, note } = await selectBackend(backend);

  const data = readMnistFile(values.data);
  const count = Math.min(Number(values.samples ?? data.count), data.count);
  const x = tf.tensor(data.pixels.subarray(0, count * PIXELS), [count, ...spec.input]);
  const labels = Array.from(data.labels.subarray(0, count));
  const y = spec.labels === 'one-hot' ? tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat() : tf.tensor2d(labels, [count, 1]);

  const model = HANDWRITTEN[spec.name](tf);
  let epochStart = 0;
  const epochSeconds: number[] = [];
  await model.fit(x, y, {
    epochs, batchSize: batch, shuffle: true, verbose: 0,
    callbacks: {
      onEpochBegin: async () => {
        epochStart = performance.now();
      },
      onEpochEnd: async () => {
        epochSeconds.push((performance.now() - epochStart) / 1000);
      },
    },
  });
  const last = epochSeconds.at(-1)!;
  process.stdout.write(JSON.stringify({
    model: spec.name, backend: tf.getBackend(), note, samples: count, batch, epochs,
    epochSeconds, samplesPerSec: count / last,
  }) + '\n');
}

main().then(
  // Exit explicitly: a wasm thread pool may otherwise keep the process alive.
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`handwritten: ${(e as Error)?.message ?? String(e)}\n`);
    process.exit(1);
  },
);
