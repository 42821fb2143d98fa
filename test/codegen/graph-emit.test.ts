/**
 * `mlc emit` of a graph model: two inputs, merges (Subtract among them, which
 * mlc supplies as its own layer and copies to mlc-layers/) and two outputs.
 * The emitted buildModel() passes tsc --strict and builds the model the
 * runtime builds, with the same weights for the same seed.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { emitTypeScript } from '../../src/codegen/index.js';
import { compileIRJson } from '../../src/ir/pipeline.js';
import type { IR, IRNode } from '../../src/ir/types.js';
import { findLayer } from '../../src/layers/index.js';
import { buildModel } from '../../src/runtime/model.js';
import type { TF } from '../../src/runtime/tf.js';
import { fillArgs } from '../layers/helpers.js';
import { makeScratch, removeScratch, typecheck, writeEmitted } from './helpers.js';

function node(kind: string, id: string, inputs: string[], args: Record<string, unknown> = {}): IRNode {
  const def = findLayer(kind)!;
  return { id, kind: def.kind, kerasClass: def.kerasClass, name: id, args: fillArgs(def, args as never), inputs };
}

const GRAPH: IR = {
  irVersion: 1, name: 'siamese',
  inputs: [{ id: 'a', name: 'left', shape: [5], dtype: 'float32' }, { id: 'b', name: 'right', shape: [5], dtype: 'float32' }],
  nodes: [
    node('dense', 'ea', ['a'], { units: 4, activation: 'tanh' }),
    node('dense', 'eb', ['b'], { units: 4, activation: 'tanh' }),
    node('subtract', 'diff', ['ea', 'eb']),
    node('multiply', 'prod', ['ea', 'eb']),
    node('concat', 'both', ['diff', 'prod']),
    node('dense', 'same', ['both'], { units: 1, activation: 'sigmoid' }),
    node('dense', 'distance', ['both'], { units: 1 }),
  ],
  outputs: ['same', 'distance'],
  compile: {
    loss: { same: 'binary_crossentropy', distance: 'mse' },
    optimizer: { name: 'adam', args: { learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false } },
    metrics: { same: ['accuracy'], distance: [] },
  },
  fit: { epochs: 1, batch_size: 32, validation_split: 0, shuffle: true, seed: 9 },
};

describe('mlc emit --target ts of a graph model', () => {
  let scratch: string;
  let path: string;
  let warnings: string[];
  const checked = compileIRJson(JSON.stringify(GRAPH), 'siamese.json');

  before(async () => {
    assert.deepEqual(checked.diagnostics.filter((d) => d.severity === 'error'), []);
    const result = await emitTypeScript(checked.ir!, checked.facts!, { moduleName: 'siamese' });
    warnings = result.diagnostics.map((d) => d.message);
    scratch = makeScratch();
    path = writeEmitted(scratch, 'siamese', result);
    assert.ok(result.helpers.some((h) => h.path === 'mlc-layers/index.ts'), 'mlc-layers/ is copied');
  });
  after(() => removeScratch(scratch));

  it('says the training loop is left out for several inputs and outputs', () => {
    assert.ok(warnings.some((w) => /feeds one input and one output; this model has 2 and 2/.test(w)), warnings.join('\n'));
  });

  it('passes tsc --strict', () => {
    const r = typecheck([path]);
    assert.equal(r.output, '');
    assert.equal(r.status, 0);
  });

  it('builds the functional model of the runtime, with the same weights for the same seed', async () => {
    await tf.setBackend('cpu');
    const mod = (await import(pathToFileURL(path).href)) as { buildModel(): tf.LayersModel; compileModel(m: tf.LayersModel): void };
    const ours = mod.buildModel();
    const runtime = buildModel(tf as unknown as TF, checked.ir!, { seed: 9 });
    assert.deepEqual(ours.inputs.map((i) => i.shape), runtime.inputs.map((i) => i.shape));
    assert.deepEqual(ours.outputs.map((o) => o.shape), runtime.outputs.map((o) => o.shape));
    assert.equal(ours.countParams(), checked.facts!.totalParams);
    const [a, b] = [ours.getWeights(), runtime.getWeights()];
    a.forEach((w, i) => assert.deepEqual(w.dataSync(), b[i].dataSync(), `weight ${i}`));
    mod.compileModel(ours);
    const x = [tf.tensor2d([[1, 2, 3, 4, 5]]), tf.tensor2d([[5, 4, 3, 2, 1]])];
    const [same, distance] = ours.predict(x) as tf.Tensor[];
    assert.deepEqual(same.shape, [1, 1]);
    assert.deepEqual(distance.shape, [1, 1]);
    ours.dispose();
    runtime.dispose();
  });
});
