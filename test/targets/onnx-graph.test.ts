/**
 * The exporter walks the IR's DAG: several inputs, branches, merges and
 * several outputs. The model is built here with tfjs-layers' own merge
 * layers (the IR nodes written to match), its weights handed over by name,
 * and both run on the same inputs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ort from 'onnxruntime-web';
import type { IR, IRNode, ModelFacts, Shape } from '../../src/ir/types.js';
import type { SavedWeight } from '../../src/runtime/saved-weights.js';
import type { SymbolicTensor, Tensor } from '../../src/runtime/tf.js';
import { exportOnnx } from '../../src/targets/onnx/export.js';
import { MERGE_LOWERINGS } from '../../src/targets/onnx/index.js';
import { decodeModel } from '../../src/targets/onnx/proto.js';
import { testTf } from '../runtime/helpers.js';
import { seeded, TOLERANCE } from './onnx-helpers.js';

ort.env.wasm.numThreads = 1;

describe('ONNX export of graph models', () => {
  it('two inputs, a branch, every merge and five outputs give tfjs\'s predictions', async () => {
    const tf = await testTf();
    type Layer = { apply(x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor | SymbolicTensor[] };
    const nodes: IRNode[] = [];
    const symbols = new Map<string, SymbolicTensor>();
    const a = tf.input({ shape: [4], name: 'a' });
    const b = tf.input({ shape: [3, 4], name: 'b' });
    symbols.set('a', a);
    symbols.set('b', b);
    // Each IR node next to the tfjs layer it stands for.
    const node = (kind: string, name: string, args: IRNode['args'], inputs: string[], layer: Layer) => {
      nodes.push({ id: name, kind, kerasClass: kind, name, args, inputs });
      const ins = inputs.map((i) => symbols.get(i)!);
      symbols.set(name, layer.apply(ins.length === 1 ? ins[0] : ins) as SymbolicTensor);
    };
    node('dense', 'left', { units: 4, activation: 'relu', use_bias: true }, ['a'], tf.layers.dense({ units: 4, activation: 'relu', name: 'left' }));
    node('dense', 'right', { units: 4, activation: 'tanh', use_bias: true }, ['a'], tf.layers.dense({ units: 4, activation: 'tanh', name: 'right' }));
    node('add', 'sum', {}, ['left', 'right', 'a'], tf.layers.add({ name: 'sum' }));
    node('multiply', 'product', {}, ['sum', 'right'], tf.layers.multiply({ name: 'product' }));
    node('average', 'mean', {}, ['product', 'left'], tf.layers.average({ name: 'mean' }));
    node('maximum', 'most', {}, ['mean', 'right', 'left'], tf.layers.maximum({ name: 'most' }));
    node('minimum', 'least', {}, ['most', 'sum'], tf.layers.minimum({ name: 'least' }));
    node('concatenate', 'joined', { axis: -1 }, ['least', 'a'], tf.layers.concatenate({ axis: -1, name: 'joined' }));
    node('dense', 'proj', { units: 4, activation: 'linear', use_bias: true }, ['joined'], tf.layers.dense({ units: 4, name: 'proj' }));
    node('dot', 'similarity', { axes: 1, normalize: true }, ['proj', 'left'], tf.layers.dot({ axes: 1, normalize: true, name: 'similarity' }));
    node('dense', 'keys', { units: 4, activation: 'linear', use_bias: true }, ['b'], tf.layers.dense({ units: 4, name: 'keys' }));
    node('dot', 'attention', { axes: [2, 2], normalize: false }, ['keys', 'b'], tf.layers.dot({ axes: [2, 2], name: 'attention' }));
    node('concatenate', 'stacked', { axis: 1 }, ['keys', 'b'], tf.layers.concatenate({ axis: 1, name: 'stacked' }));
    const outputs = ['similarity', 'joined', 'stacked', 'attention', 'least'];
    const model = tf.model({ inputs: [a, b], outputs: outputs.map((o) => symbols.get(o)!) });
    const rnd = seeded(3);
    model.setWeights(model.weights.map((w) => tf.tensor(Float32Array.from({ length: w.shape.reduce((p, d) => p * d!, 1) }, () => rnd() - 0.5), w.shape as number[])));

    const ir: IR = {
      irVersion: 1, name: 'graph',
      inputs: [{ id: 'a', name: 'a', shape: [4], dtype: 'float32' }, { id: 'b', name: 'b', shape: [3, 4], dtype: 'float32' }],
      nodes, outputs,
    };
    const facts = {
      inputShapes: { a: [null, 4], b: [null, 3, 4] },
      nodes: nodes.map((n) => ({ id: n.id, name: n.name, outputShape: model.getLayer(n.name).outputShape as Shape })),
    } as unknown as ModelFacts;
    const weights = new Map<string, SavedWeight>(model.weights.map((w) => [w.originalName, { shape: w.shape as number[], dtype: 'float32', data: w.read().dataSync() as Float32Array }]));
    // The merge kinds' own definitions will hold these lowerings; here they are handed over.
    const onnx = exportOnnx(ir, facts, weights, { lowerings: MERGE_LOWERINGS });

    const ops = new Set(decodeModel(onnx).graph.node.map((n) => n.op_type));
    for (const op of ['Sum', 'Mul', 'Mean', 'Max', 'Min', 'Concat', 'LpNormalization', 'MatMul']) assert.ok(ops.has(op), `uses ${op}`);
    const session = await ort.InferenceSession.create(onnx);
    assert.deepEqual(session.inputNames, ['a', 'b']);
    assert.deepEqual(session.outputNames, outputs, 'the outputs in order, named after their layers');
    const n = 5;
    const xa = Float32Array.from({ length: n * 4 }, () => rnd() * 2 - 1);
    const xb = Float32Array.from({ length: n * 12 }, () => rnd() * 2 - 1);
    const expected = model.predict([tf.tensor(xa, [n, 4]), tf.tensor(xb, [n, 3, 4])]) as Tensor[];
    const got = await session.run({ a: new ort.Tensor('float32', xa, [n, 4]), b: new ort.Tensor('float32', xb, [n, 3, 4]) });
    outputs.forEach((name, i) => {
      assert.deepEqual(got[name].dims, expected[i].shape, `${name}'s shape`);
      const want = expected[i].dataSync();
      const data = got[name].data as Float32Array;
      const diff = Math.max(...Array.from(want, (v, j) => Math.abs(v - data[j])));
      assert.ok(diff <= TOLERANCE, `${name}: max |tfjs - onnx| = ${diff}`);
    });
    await session.release();
    model.dispose();
  });

  it('subtract (which tfjs-layers lacks) is the difference of its two inputs', async () => {
    const tf = await testTf();
    const a = tf.input({ shape: [3], name: 'a' });
    const left = tf.layers.dense({ units: 2, name: 'left' });
    const right = tf.layers.dense({ units: 2, name: 'right' });
    const model = tf.model({ inputs: a, outputs: [left.apply(a) as SymbolicTensor, right.apply(a) as SymbolicTensor] });
    const dense = (name: string): IRNode => ({ id: name, kind: 'dense', kerasClass: 'Dense', name, args: { units: 2, activation: 'linear', use_bias: true }, inputs: ['a'] });
    const ir: IR = {
      irVersion: 1, name: 'difference', inputs: [{ id: 'a', name: 'a', shape: [3], dtype: 'float32' }],
      nodes: [dense('left'), dense('right'), { id: 'diff', kind: 'subtract', kerasClass: 'Subtract', name: 'diff', args: {}, inputs: ['left', 'right'] }],
      outputs: ['diff'],
    };
    const facts = { inputShapes: { a: [null, 3] }, nodes: ir.nodes.map((n) => ({ id: n.id, name: n.name, outputShape: [null, 2] })) } as unknown as ModelFacts;
    const weights = new Map<string, SavedWeight>(model.weights.map((w) => [w.originalName, { shape: w.shape as number[], dtype: 'float32', data: w.read().dataSync() as Float32Array }]));
    const session = await ort.InferenceSession.create(exportOnnx(ir, facts, weights, { lowerings: MERGE_LOWERINGS }));
    const x = Float32Array.from([1, -2, 0.5, 0.25, 3, -1]);
    const [l, r] = (model.predict(tf.tensor(x, [2, 3])) as Tensor[]).map((t) => t.dataSync());
    const got = (await session.run({ a: new ort.Tensor('float32', x, [2, 3]) })).diff.data as Float32Array;
    Array.from(l).forEach((v, i) => assert.ok(Math.abs(v - r[i] - got[i]) <= TOLERANCE));
    await session.release();
    model.dispose();
  });
});
