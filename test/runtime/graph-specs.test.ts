/**
 * The small graph specs of specs/ (the Keras guide's toy ResNet, a U-Net,
 * two inputs, two outputs) train on the wasm backend: a few epochs on a
 * small random set that they can memorise, the loss finite and falling.
 * (Their shapes and parameter counts against tfjs-layers' own functional
 * models are checked for every spec in model-facts.test.ts.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { outputSpecs } from '../../src/ir/outputs.js';
import { compileSource } from '../../src/ir/pipeline.js';
import { labelModeFor } from '../../src/ir/training.js';
import { selectBackend } from '../../src/runtime/backend/select.js';
import { buildModel, compileModel } from '../../src/runtime/model.js';
import { objectiveOf } from '../../src/runtime/objective.js';
import type { HostArray, MultiSplit } from '../../src/runtime/split-tensors.js';
import type { TF } from '../../src/runtime/tf.js';
import { train } from '../../src/runtime/train.js';

function seeded(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** Random inputs, and labels each output's loss can take (class indices, one-hot rows, 0/1 masks or values). */
function randomSplit(file: string, count: number): MultiSplit {
  const { ir, facts } = compileSource(readFileSync(file, 'utf8'), file);
  const rnd = seeded(5);
  const xs: HostArray[] = ir!.inputs.map((i) => {
    const shape = [count, ...(i.shape as number[])];
    return { values: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, rnd), shape, dtype: 'float32' };
  });
  const ys: HostArray[] = outputSpecs(ir!)!.map((o) => {
    const out = facts!.nodes.find((n) => n.id === o.id)!.outputShape.slice(1) as number[];
    const units = out[out.length - 1];
    const mode = labelModeFor(o.loss);
    if (mode === 'sparse') return { values: Float32Array.from({ length: count }, () => Math.floor(rnd() * units)), shape: [count, 1], dtype: 'float32' };
    const shape = [count, ...out];
    const size = shape.reduce((a, b) => a * b, 1);
    if (mode === 'onehot') {
      const v = new Float32Array(size);
      for (let k = 0; k < count; k++) v[k * units + Math.floor(rnd() * units)] = 1;
      return { values: v, shape, dtype: 'float32' };
    }
    return { values: Float32Array.from({ length: size }, () => (mode === 'binary' ? (rnd() < 0.5 ? 0 : 1) : rnd())), shape, dtype: 'float32' };
  });
  return { xs, ys, count };
}

describe('graph specs train on wasm', () => {
  for (const file of ['specs/toy-resnet.model', 'specs/unet-small.model', 'specs/two-inputs.model', 'specs/two-outputs.model']) {
    it(file, async () => {
      const { tf } = (await selectBackend('wasm')) as unknown as { tf: TF };
      assert.equal(tf.getBackend(), 'wasm');
      const { ir } = compileSource(readFileSync(file, 'utf8'), file);
      const model = buildModel(tf, ir!, { seed: 2 });
      try {
        compileModel(tf, model, ir!);
        const { epochs } = await train({ tf, model, objective: objectiveOf(tf, model, ir!), train: randomSplit(file, 16), epochs: 4, batchSize: 8, shuffle: true, seed: 1 });
        const losses = epochs.map((e) => e.loss);
        assert.ok(losses.every(Number.isFinite), `${file}: ${losses}`);
        assert.ok(losses[losses.length - 1] < losses[0], `${file}: the loss falls: ${losses.map((l) => l.toFixed(4)).join(' -> ')}`);
      } finally {
        model.dispose();
      }
    });
  }
});
