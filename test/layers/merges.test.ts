/**
 * The merge kinds and zeropadding2d: shapes, classes and parameter counts
 * against tfjs-layers building the same graph through its functional API;
 * Subtract, which tfjs-layers lacks, against Keras's definition (a - b);
 * the diagnostics that name both tensors; and one training step of a graph
 * with every merge, built by the runtime (check => train).
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileIRJson } from '../../src/ir/pipeline.js';
import type { IR, IRNode, Shape } from '../../src/ir/types.js';
import { findLayer } from '../../src/layers/index.js';
import { buildModel, compileModel } from '../../src/runtime/model.js';
import { testTf } from '../runtime/helpers.js';
import { fillArgs } from './helpers.js';

function node(kind: string, id: string, inputs: string[], args: Record<string, unknown> = {}): IRNode {
  const def = findLayer(kind)!;
  return { id, kind: def.kind, kerasClass: def.kerasClass, name: id, args: fillArgs(def, args as never), inputs };
}

function graph(inputs: Record<string, number[]>, nodes: IRNode[], outputs: string[]): IR {
  return {
    irVersion: 1, name: 'g',
    inputs: Object.entries(inputs).map(([id, shape]) => ({ id, name: id, shape, dtype: 'float32' as const })),
    nodes, outputs,
  };
}

function check(ir: IR) {
  return compileIRJson(JSON.stringify(ir), 'g.json');
}

/** Output shapes of tfjs-layers' own merge over inputs of the given shapes. */
function tfjsShape(make: () => tf.layers.Layer, shapes: number[][]): Shape {
  const ins = shapes.map((s) => tf.input({ shape: s }));
  return (make().apply(ins) as tf.SymbolicTensor).shape as Shape;
}

const CASES: { title: string; kind: string; args?: Record<string, unknown>; shapes: number[][]; tfjs: () => tf.layers.Layer }[] = [
  { title: 'add of equal shapes', kind: 'add', shapes: [[8, 8, 16], [8, 8, 16]], tfjs: () => tf.layers.add() },
  { title: 'add of three', kind: 'add', shapes: [[5], [5], [5]], tfjs: () => tf.layers.add() },
  { title: 'add broadcasting a 1', kind: 'add', shapes: [[4, 6], [1, 6]], tfjs: () => tf.layers.add() },
  { title: 'multiply', kind: 'multiply', shapes: [[3, 7], [3, 7]], tfjs: () => tf.layers.multiply() },
  { title: 'average', kind: 'average', shapes: [[10], [10]], tfjs: () => tf.layers.average() },
  { title: 'maximum', kind: 'maximum', shapes: [[2, 2, 3], [2, 2, 3]], tfjs: () => tf.layers.maximum() },
  { title: 'minimum', kind: 'minimum', shapes: [[9], [9]], tfjs: () => tf.layers.minimum() },
  { title: 'concat on channels', kind: 'concat', shapes: [[8, 8, 16], [8, 8, 4]], tfjs: () => tf.layers.concatenate() },
  { title: 'concat on axis 1', kind: 'concat', args: { axis: 1 }, shapes: [[3, 5], [4, 5]], tfjs: () => tf.layers.concatenate({ axis: 1 }) },
  { title: 'concat of flat vectors', kind: 'concat', shapes: [[32], [16], [8]], tfjs: () => tf.layers.concatenate() },
  { title: 'dot of vectors', kind: 'dot', args: { axes: 1 }, shapes: [[6], [6]], tfjs: () => tf.layers.dot({ axes: 1 }) },
  { title: 'dot of sequences (attention scores)', kind: 'dot', args: { axes: [2, 2] }, shapes: [[5, 8], [7, 8]], tfjs: () => tf.layers.dot({ axes: [2, 2] }) },
];

describe('merges agree with tfjs-layers', () => {
  for (const c of CASES) {
    test(c.title, () => {
      const ids = c.shapes.map((_, i) => `x${i}`);
      const ir = graph(Object.fromEntries(c.shapes.map((s, i) => [ids[i], s])), [node(c.kind, 'm', ids, c.args)], ['m']);
      const r = check(ir);
      assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
      assert.deepEqual(r.facts!.nodes[0].outputShape, tfjsShape(c.tfjs, c.shapes));
      assert.equal(r.facts!.totalParams, 0);
      const def = findLayer(c.kind)!;
      assert.equal(def.outputRank?.(c.shapes.map((s) => s.length + 1)) ?? c.shapes[0].length + 1, r.facts!.nodes[0].outputShape.length, 'outputRank');
    });
  }

  test('zeropadding2d matches ZeroPadding2D, as ResNet50 uses it', () => {
    for (const [padding, shape] of [[3, [224, 224, 3]], [[1, 2], [5, 7, 4]]] as [number | number[], number[]][]) {
      const ir = graph({ x: shape }, [node('zeropadding2d', 'z', ['x'], { padding: typeof padding === 'number' ? [padding, padding] : padding })], ['z']);
      const r = check(ir);
      const p = typeof padding === 'number' ? [padding, padding] : padding;
      assert.deepEqual(r.facts!.nodes[0].outputShape, tfjsShape(() => tf.layers.zeroPadding2d({ padding: [[p[0], p[0]], [p[1], p[1]]] }), [shape]));
    }
  });
});

describe('merge diagnostics name both tensors and a fix', () => {
  test('add of different widths suggests a projection or concat', () => {
    const ir = graph({ x: [8, 8, 3] }, [
      node('conv2d', 'a', ['x'], { filters: 64, kernel_size: 1 }),
      node('conv2d', 'b', ['x'], { filters: 32, kernel_size: 1 }),
      node('add', 'm', ['a', 'b']),
      node('flatten', 'f', ['m']),
    ], ['f']);
    const r = check(ir);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /add cannot combine `a` \(None, 8, 8, 64\).* with `b` \(None, 8, 8, 32\)/);
    assert.match(errors[0].help ?? '', /project `b` to 64 channels .*conv 64 1.*concat/);
    // Inference went on: the two convolutions keep their shapes; the merge and what it feeds are unknown.
    assert.deepEqual(r.facts!.nodes.map((n) => n.id), ['a', 'b']);
    assert.deepEqual(r.facts!.unknown, ['m', 'f']);
  });

  test('concat of mismatched spatial sizes, subtract of three, dot of unequal axes, a dense given two tensors', () => {
    const cases: [IRNode[], RegExp][] = [
      [[node('concat', 'm', ['x', 'y'])], /concat along axis -1 needs every other axis equal/],
      [[node('subtract', 'm', ['x', 'y', 'x'])], /subtract takes exactly two tensors/],
      [[node('dot', 'm', ['x', 'y'], { axes: 1 })], /sizes 4 and 6 differ/],
      [[node('dense', 'm', ['x', 'y'], { units: 3 })], /dense `m` takes one input tensor; it is given 2/],
    ];
    for (const [nodes, message] of cases) {
      const r = check(graph({ x: [4, 2], y: [6, 2] }, nodes, ['m']));
      assert.match(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('\n'), message);
    }
  });
});

describe('graphs with merges build and train on tfjs', () => {
  test('subtract computes a - b, as Keras defines it', async () => {
    const ftf = await testTf();
    const ir = graph({ a: [3], b: [3] }, [node('subtract', 's', ['a', 'b'])], ['s']);
    const model = buildModel(ftf, ir);
    const out = model.predict([ftf.tensor2d([[5, 1, -2]]), ftf.tensor2d([[1, 4, -2]])]) as tf.Tensor;
    assert.deepEqual(Array.from(out.dataSync()), [4, -3, 0]);
    model.dispose();
  });

  test('a two-input graph with every merge trains a step and its loss is finite', async () => {
    const ftf = await testTf();
    const ir = graph({ a: [4], b: [4] }, [
      node('dense', 'da', ['a'], { units: 6, activation: 'relu' }),
      node('dense', 'db', ['b'], { units: 6, activation: 'relu' }),
      node('add', 'm1', ['da', 'db']), node('subtract', 'm2', ['da', 'db']), node('multiply', 'm3', ['da', 'db']),
      node('average', 'm4', ['da', 'db']), node('maximum', 'm5', ['da', 'db']), node('minimum', 'm6', ['da', 'db']),
      node('dot', 'm7', ['da', 'db'], { axes: 1 }),
      node('concat', 'c', ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']),
      node('dense', 'out', ['c'], { units: 2, activation: 'softmax' }),
    ], ['out']);
    ir.compile = { loss: 'categorical_crossentropy', optimizer: { name: 'adam', args: { learning_rate: 0.01, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false } }, metrics: [] };
    const r = check(ir);
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
    const model = buildModel(ftf, r.ir!, { seed: 3 });
    assert.equal(model.countParams(), r.facts!.totalParams);
    assert.deepEqual(model.outputs[0].shape, r.facts!.nodes.at(-1)!.outputShape);
    compileModel(ftf, model, r.ir!);
    const x = [ftf.randomNormal([16, 4], 0, 1, 'float32', 1), ftf.randomNormal([16, 4], 0, 1, 'float32', 2)];
    const y = ftf.oneHot(ftf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 2), 'int32'), 2);
    const h = await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
    const losses = h.history.loss as number[];
    assert.ok(losses.every(Number.isFinite), `losses ${losses}`);
    model.dispose();
  });
});
