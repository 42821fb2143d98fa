/**
 * One training step of graph models on the wasm backend matches the cpu
 * backend: every merge kind (Subtract is mlc's own layer), concatenation on
 * channels, ZeroPadding2D and a residual block, built by the runtime from
 * the IR. A kernel or gradient wasm lacks fails here.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { compileIRJson } from '../../src/ir/pipeline.js';
import type { IR, IRNode } from '../../src/ir/types.js';
import { findLayer } from '../../src/layers/index.js';
import type { TfModule } from '../../src/runtime/backend/select.js';
import { buildModel } from '../../src/runtime/model.js';
import type { TF } from '../../src/runtime/tf.js';
import { fillArgs } from '../layers/helpers.js';
import { assertClose, randomValues, seeded, wasmTf } from './helpers.js';

const RTOL = 2e-4;
let tf: TfModule;
before(async () => {
  tf = await wasmTf();
});

function node(kind: string, id: string, inputs: string[], args: Record<string, unknown> = {}): IRNode {
  const def = findLayer(kind)!;
  return { id, kind: def.kind, kerasClass: def.kerasClass, name: id, args: fillArgs(def, args as never), inputs };
}

function checked(inputs: Record<string, number[]>, nodes: IRNode[], outputs: string[]): IR {
  const ir: IR = {
    irVersion: 1, name: 'g', nodes, outputs,
    inputs: Object.entries(inputs).map(([id, shape]) => ({ id, name: id, shape, dtype: 'float32' as const })),
  };
  const r = compileIRJson(JSON.stringify(ir), 'g.json');
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  return r.ir!;
}

type Tensor = InstanceType<TfModule['Tensor']>;

function lossAndGrads(ir: IR, weights: { values: Float32Array; shape: number[] }[] | undefined, xs: { values: Float32Array; shape: number[] }[], y: { values: Float32Array; shape: number[] }) {
  const model = buildModel(tf as unknown as TF, ir, { seed: 5 });
  if (weights) model.setWeights(weights.map((w) => tf.tensor(w.values, w.shape)) as never);
  const initial = model.getWeights().map((w) => ({ values: w.dataSync().slice() as Float32Array, shape: w.shape }));
  const out = tf.tidy(() => {
    const inputs = xs.map((x) => tf.tensor(x.values, x.shape));
    const target = tf.tensor(y.values, y.shape);
    const vars = model.trainableWeights.map((w) => (w as unknown as { read(): InstanceType<TfModule['Variable']> }).read());
    const { value, grads } = tf.variableGrads(() => {
      const pred = model.apply(inputs as never, { training: true }) as unknown as Tensor;
      return tf.losses.meanSquaredError(target, pred) as Tensor & { rank: 0 };
    }, vars);
    return { loss: value.dataSync()[0]!, grads: vars.map((v) => grads[v.name]!.dataSync() as Float32Array) };
  });
  model.dispose();
  return { ...out, initial };
}

async function checkGraph(name: string, ir: IR): Promise<void> {
  const rand = seeded(11);
  const xs = ir.inputs.map((i) => {
    const shape = [2, ...(i.shape as number[])];
    return { values: randomValues(rand, shape.reduce((a, b) => a * b, 1)), shape };
  });
  await tf.setBackend('cpu');
  const probe = buildModel(tf as unknown as TF, ir, { seed: 5 });
  const outShape = [2, ...(probe.outputs[0]!.shape.slice(1) as number[])];
  probe.dispose();
  const y = { values: randomValues(rand, outShape.reduce((a, b) => a * b, 1)), shape: outShape };
  const expected = lossAndGrads(ir, undefined, xs, y);
  await tf.setBackend('wasm');
  const actual = lossAndGrads(ir, expected.initial, xs, y);
  assert.ok(Number.isFinite(actual.loss), `${name}: loss ${actual.loss}`);
  assertClose([actual.loss], [expected.loss], RTOL, `${name}: loss`);
  assert.equal(actual.grads.length, expected.grads.length);
  actual.grads.forEach((g, i) => assertClose(g, expected.grads[i]!, RTOL, `${name}: gradient ${i}`));
}

test('one training step on wasm matches cpu: every merge of two dense branches', async () => {
  const merges: [string, Record<string, unknown>?][] = [['add'], ['subtract'], ['multiply'], ['average'], ['maximum'], ['minimum'], ['concat'], ['dot', { axes: 1 }]];
  for (const [kind, args] of merges) {
    await checkGraph(kind, checked({ a: [4], b: [4] }, [
      node('dense', 'da', ['a'], { units: 3, activation: 'tanh' }),
      node('dense', 'db', ['b'], { units: 3, activation: 'tanh' }),
      node(kind, 'm', ['da', 'db'], args),
      node('dense', 'out', ['m'], { units: 2 }),
    ], ['out']));
  }
});

test('one training step on wasm matches cpu: a residual conv block with zero padding and a channel concat', async () => {
  await checkGraph('residual', checked({ x: [6, 6, 2] }, [
    node('zeropadding2d', 'pad', ['x'], { padding: [1, 1] }),
    node('conv2d', 'c1', ['pad'], { filters: 2, kernel_size: 3, activation: 'relu' }),
    node('add', 'res', ['c1', 'x']),
    node('conv2d', 'c2', ['res'], { filters: 3, kernel_size: 1, activation: 'relu' }),
    node('concat', 'cat', ['c2', 'res']),
    node('globalavgpool', 'gap', ['cat']),
    node('dense', 'out', ['gap'], { units: 2 }),
  ], ['out']));
});
