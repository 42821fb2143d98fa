/**
 * `mlc export --onnx`: every layer kind and every spec in specs/ gives the
 * predictions of tfjs-layers within 1e-4 in onnxruntime-web.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { LAYER_DEFS } from '../../src/layers/index.js';
import { decodeModel } from '../../src/targets/onnx/proto.js';
import { GRAPH_CASES } from './onnx-graph-cases.js';
import { CASES } from './onnx-cases.js';
import { onnxParity, TOLERANCE } from './onnx-helpers.js';

function opTypes(onnx: Uint8Array): string[] {
  return [...new Set(decodeModel(onnx).graph.node.map((n) => n.op_type))];
}

describe('ONNX export: one small spec per layer kind', () => {
  it('every layer kind is exported by a case of onnx-cases.ts or onnx-graph-cases.ts', () => {
    const covered = new Set([
      ...CASES.flatMap((c) => c.source.split('\n').flatMap((l) => l.split('->').map((s) => s.trim().split(' ')[0]))),
      ...GRAPH_CASES.flatMap((c) => c.ir.nodes.map((n) => n.kind)),
    ]);
    const kinds = LAYER_DEFS.filter((d) => ![d.kind, ...d.aliases].some((n) => covered.has(n))).map((d) => d.kind);
    assert.deepEqual(kinds, []);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const r = await onnxParity(c.source, c.opts);
      assert.ok(r.maxDiff <= TOLERANCE, `max |tfjs - onnx| = ${r.maxDiff}`);
      for (const op of c.ops ?? []) assert.ok(opTypes(r.onnx).includes(op), `uses ${op}: ${opTypes(r.onnx).join(', ')}`);
    });
  }
});

describe('ONNX export: every spec in specs/', () => {
  for (const file of readdirSync('specs').filter((f) => f.endsWith('.model')).sort()) {
    it(file, async () => {
      const r = await onnxParity(readFileSync(`specs/${file}`, 'utf8'), { samples: 2, vocabulary: 1000, unknownDim: 12, amplitude: 0.02 });
      assert.ok(r.maxDiff <= TOLERANCE, `max |tfjs - onnx| = ${r.maxDiff}`);
    });
  }
});

describe('the ONNX file', () => {
  it('declares opset 17, channels-last inputs with a symbolic batch, and names outputs after their layers', async () => {
    const r = await onnxParity('model tiny\ninput 8x8x1\nconv 2 3 -> maxpool 2 -> flatten -> dense 3 softmax');
    const model = decodeModel(r.onnx);
    assert.deepEqual(model.opset_import.map((o) => [o.domain ?? '', o.version]), [['', 17]]);
    assert.equal(model.producer_name, 'mlc');
    assert.equal(model.graph.name, 'tiny');
    const input = model.graph.input[0];
    assert.equal(input.name, 'input_layer');
    assert.deepEqual(input.type.tensor_type.shape.dim, [{ dim_param: 'batch' }, { dim_value: 8 }, { dim_value: 8 }, { dim_value: 1 }]);
    assert.deepEqual(r.outputNames, ['dense']);
    // Conv then pool share one layout change each way.
    assert.equal(model.graph.node.filter((n) => n.op_type === 'Transpose').length, 2);
  });
});
