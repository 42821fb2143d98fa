/**
 * Where a training step's time goes on the wasm backend: trains a spec with
 * mlc's own loop (src/runtime/train.ts) on random data and times every kernel
 * call. wasm kernels run synchronously, so a kernel's wall time is its cost;
 * kernels built from other kernels (mlc's gradient kernels) are charged only
 * their own time, and what lies outside every kernel is shown as "(outside kernels)".
 *
 *   npx tsx bench/profile-step.ts specs/mnist-cnn.model [--samples 1024] [--batch 128] [--top 15] [--shapes]
 *
 * --shapes tallies each kernel per input shapes.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { compileSource } from '../src/ir/pipeline.js';
import { selectBackend } from '../src/runtime/backend/select.js';
import { buildModel, compileModel } from '../src/runtime/model.js';
import { objectiveOf } from '../src/runtime/objective.js';
import { fromSplit } from '../src/runtime/split-tensors.js';
import { train } from '../src/runtime/train.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { samples: { type: 'string', default: '1024' }, batch: { type: 'string', default: '128' }, top: { type: 'string', default: '15' }, shapes: { type: 'boolean', default: false } },
});
const file = positionals[0] ?? 'specs/mnist-cnn.model';
const samples = Number(values.samples);
const batchSize = Number(values.batch);

const { ir } = compileSource(readFileSync(file, 'utf8'), file);
if (!ir) throw new Error(`${file} does not compile`);
const backend = await selectBackend('wasm');
const tf = backend.tf;
const core = await import('@tensorflow/tfjs-core');

interface Tally { calls: number; ms: number }
const tallies = new Map<string, Tally>();
let profiling = false;
/** Time spent in kernels called from inside the kernel now running, to charge each kernel only its own. */
const childMs: number[] = [];
for (const config of core.getKernelsForBackend('wasm')) {
  const inner = config.kernelFunc;
  const name = config.kernelName;
  core.unregisterKernel(name, 'wasm');
  core.registerKernel({
    ...config,
    kernelFunc: (args) => {
      if (!profiling) return inner(args);
      childMs.push(0);
      const t0 = performance.now();
      const out = inner(args);
      const total = performance.now() - t0;
      const own = total - childMs.pop()!;
      if (childMs.length > 0) childMs[childMs.length - 1] += total;
      const key = values.shapes ? `${name} ${args.inputs ? Object.values(args.inputs).map((i) => `[${i?.shape.join(',')}]`).join(' ') : ''}` : name;
      const t = tallies.get(key) ?? { calls: 0, ms: 0 };
      t.calls++;
      t.ms += own;
      tallies.set(key, t);
      return out;
    },
  });
}

const model = buildModel(tf, ir, { seed: 1 });
compileModel(tf, model, ir);
const objective = objectiveOf(tf, model, ir);
const inShape = ir.inputs[0]!.shape as number[];
const perSample = inShape.reduce((a, b) => a * b, 1);
const classes = model.outputs[0]!.shape[1] as number;
const x = Float32Array.from({ length: samples * perSample }, () => Math.random());
const y = new Float32Array(samples * classes);
for (let i = 0; i < samples; i++) y[i * classes + Math.floor(Math.random() * classes)] = 1;
const split = fromSplit({ x, xShape: [samples, ...inShape], count: samples, y, yShape: [samples, classes] }, 'float32');
const run = () => train({ tf, model, objective, train: split, epochs: 1, batchSize, shuffle: true, seed: 1 });

await run(); // warm-up: XNNPACK operator creation, weight packing
profiling = true;
const t0 = performance.now();
const result = await run();
const wallMs = performance.now() - t0;
profiling = false;

const kernelMs = [...tallies.values()].reduce((a, t) => a + t.ms, 0);
tallies.set('(outside kernels)', { calls: 0, ms: wallMs - kernelMs });
const steps = Math.ceil(samples / batchSize);
console.log(`${file}: ${backend.note}`);
console.log(`${samples} samples, batch ${batchSize}: ${(wallMs / steps).toFixed(1)} ms/step, ${result.epochs[0]!.samplesPerSec.toFixed(0)} samples/s`);
const rows = [...tallies.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, Number(values.top));
for (const [name, t] of rows) {
  console.log(
    `  ${name.padEnd(values.shapes ? 60 : 28)} ${(t.ms / steps).toFixed(2).padStart(8)} ms/step ${((100 * t.ms) / wallMs).toFixed(1).padStart(5)}%  ${(t.calls / steps).toFixed(1)} calls/step`,
  );
}
model.dispose();
