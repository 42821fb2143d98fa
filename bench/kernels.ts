/**
 * Micro-benchmark of the wasm backend for training: forward convolution
 * GFLOP/s, convolution gradients relative to the forward pass, and whole
 * training steps (samples/s) for the tutorial CNN and MLP.
 *
 *   npx tsx bench/kernels.ts            # every configuration, side by side
 *   npx tsx bench/kernels.ts --quick    # fewer repetitions
 *
 * Each configuration runs in its own child process (the wasm module is
 * initialised once per process), one after another in this one run, so the
 * ratios between them are comparable even on a busy machine.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Tensor4D } from '@tensorflow/tfjs';
import { HANDWRITTEN } from './handwritten/models.js';
import { median } from './stats.js';

interface Config {
  label: string;
  threads: string;
  /** Use tfjs-backend-wasm's own Conv2DBackpropInput instead of mlc's. */
  nativeInputGrad: boolean;
}

interface Figures {
  note: string;
  convForwardMs: number;
  convGflops: number;
  inputGradMs: number;
  filterGradMs: number;
  cnnSamplesPerSec: number;
  mlpSamplesPerSec: number;
}

const quick = process.argv.includes('--quick');
const REPS = quick ? 2 : 4;
const STEPS = quick ? 2 : 4;
const BATCH = 128;

async function measure(config: Config): Promise<Figures> {
  process.env.MLC_WASM_THREADS = config.threads;
  const wasmBackend = await import('@tensorflow/tfjs-backend-wasm');
  const core = await import('@tensorflow/tfjs-core');
  // Keep the backend's own kernel before mlc replaces it, to compare against.
  const native = core.getKernel('Conv2DBackpropInput', 'wasm');
  const { selectBackend } = await import('../src/runtime/backend/select.js');
  const { tf, note } = await selectBackend('wasm');
  void wasmBackend;
  if (config.nativeInputGrad && native) {
    core.unregisterKernel('Conv2DBackpropInput', 'wasm');
    core.registerKernel(native);
    native.setupFunc?.(tf.backend() as never);
  }

  const time = (fn: () => void): number => {
    fn(); // warm-up: operator creation, weight packing
    const ms: number[] = [];
    for (let i = 0; i < REPS; i++) {
      const t0 = performance.now();
      fn();
      ms.push(performance.now() - t0);
    }
    return median(ms);
  };

  // The tutorial CNN's second convolution: [128,24,24,32] * [5,5,32,64] -> [128,20,20,64].
  const x = tf.randomNormal([BATCH, 24, 24, 32]) as Tensor4D;
  const w = tf.randomNormal([5, 5, 32, 64]) as Tensor4D;
  const dy = tf.randomNormal([BATCH, 20, 20, 64]) as Tensor4D;
  const run = (f: () => InstanceType<typeof tf.Tensor>) => () => tf.tidy(() => void f().dataSync());
  const convForwardMs = time(run(() => tf.conv2d(x, w, 1, 'valid')));
  const flops = 2 * BATCH * 20 * 20 * 64 * 5 * 5 * 32;
  const inputGradMs = time(run(() => tf.conv2dTranspose(dy, w, [BATCH, 24, 24, 32], 1, 'valid')));
  const filterGradMs = time(
    run(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [5, 5, 32, 64] } as never) as InstanceType<typeof tf.Tensor>),
  );
  tf.dispose([x, w, dy]);

  // The tutorial models exactly as the bench's hand-written column builds and compiles them.
  const samplesPerSec = async (model: ReturnType<typeof tf.sequential>, inShape: number[]) => {
    const xs = tf.randomUniform([BATCH, ...inShape]);
    const ys = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32'), 10).cast('float32');
    await model.trainOnBatch(xs, ys); // warm-up
    const t0 = performance.now();
    for (let i = 0; i < STEPS; i++) await model.trainOnBatch(xs, ys);
    const seconds = (performance.now() - t0) / 1000;
    tf.dispose([xs, ys]);
    model.dispose();
    return (STEPS * BATCH) / seconds;
  };
  const cnnSamplesPerSec = await samplesPerSec(HANDWRITTEN.cnn(tf), [28, 28, 1]);
  const mlpSamplesPerSec = await samplesPerSec(HANDWRITTEN.mlp(tf), [784]);

  return { note, convForwardMs, convGflops: flops / convForwardMs / 1e6, inputGradMs, filterGradMs, cnnSamplesPerSec, mlpSamplesPerSec };
}

const CONFIGS: Config[] = [
  { label: 'wasm 1 thread, tfjs Conv2DBackpropInput', threads: '1', nativeInputGrad: true },
  { label: 'wasm 1 thread, mlc kernels', threads: '1', nativeInputGrad: false },
  { label: 'wasm threads, mlc kernels', threads: '', nativeInputGrad: false },
];

async function main(): Promise<void> {
  const child = process.env.MLC_BENCH_CONFIG;
  if (child !== undefined) {
    process.stdout.write(JSON.stringify(await measure(JSON.parse(child) as Config)));
    return;
  }
  const self = fileURLToPath(import.meta.url);
  const rows: [string, Figures][] = [];
  for (const config of CONFIGS) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, ...process.argv.slice(2)], {
      env: { ...process.env, MLC_BENCH_CONFIG: JSON.stringify(config) },
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    const out = r.stdout.trim().split('\n').pop() ?? '';
    if (r.status !== 0 || !out.startsWith('{')) {
      console.error(`${config.label}: failed\n${r.stderr}`);
      continue;
    }
    rows.push([config.label, JSON.parse(out) as Figures]);
  }
  for (const [label, f] of rows) {
    console.log(`${label}\n  ${f.note}`);
    console.log(
      `  conv forward ${f.convForwardMs.toFixed(0)} ms (${f.convGflops.toFixed(1)} GFLOP/s); ` +
        `backprop input ${(f.inputGradMs / f.convForwardMs).toFixed(2)}x forward, filter ${(f.filterGradMs / f.convForwardMs).toFixed(2)}x forward`,
    );
    console.log(`  training, batch ${BATCH}, rmsprop: CNN ${f.cnnSamplesPerSec.toFixed(0)} samples/s, MLP ${f.mlpSamplesPerSec.toFixed(0)} samples/s`);
  }
}

await main();
