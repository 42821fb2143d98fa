/**
 * The exporter walks the IR's DAG: several inputs, branches, every merge
 * kind, zero padding and several outputs, each against the model the
 * runtime builds from the same IR (tfjs-layers' merges, and mlc's own
 * Subtract).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeModel } from '../../src/targets/onnx/proto.js';
import { GRAPH_CASES } from './onnx-graph-cases.js';
import { onnxParity, TOLERANCE } from './onnx-helpers.js';

describe('ONNX export of graph models', () => {
  for (const c of GRAPH_CASES) {
    it(c.name, async () => {
      const r = await onnxParity(c.ir, c.opts);
      assert.ok(r.maxDiff <= TOLERANCE, `max |tfjs - onnx| = ${r.maxDiff}`);
      assert.deepEqual(r.outputNames, c.ir.outputs, 'the outputs in order, named after their layers');
      const ops = decodeModel(r.onnx).graph.node.map((n) => n.op_type);
      for (const op of c.ops ?? []) assert.ok(ops.includes(op), `uses ${op}: ${ops.join(' ')}`);
      if (c.transposes !== undefined) assert.equal(ops.filter((op) => op === 'Transpose').length, c.transposes, ops.join(' '));
    });
  }
});
