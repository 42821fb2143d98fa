/**
 * `mlc export --onnx`: every layer kind and every spec in specs/ gives the
 * predictions of tfjs-layers within 1e-4 in onnxruntime-web.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ACTIVATIONS } from '../../src/layers/activations.js';
import { LAYER_DEFS } from '../../src/layers/index.js';
import { decodeModel } from '../../src/targets/onnx/proto.js';
import { GRAPH_CASES } from './onnx-graph-cases.js';
import { onnxParity, TOLERANCE, type ParityOptions } from './onnx-helpers.js';

/** One small spec per layer kind and variant, with the ONNX ops it should lower to. */
const CASES: { name: string; source: string; ops?: string[]; opts?: ParityOptions }[] = [
  { name: 'dense on vectors (Gemm)', source: 'input 6\ndense 4 relu\ndense 3 softmax', ops: ['Gemm', 'Relu', 'Softmax'] },
  { name: 'dense without bias on sequences (MatMul on the last axis)', source: 'input 5x6\ndense 4 tanh use_bias=false', ops: ['MatMul', 'Tanh'] },
  { name: 'conv2d same, strided, dilated, softmax', source: 'input 9x9x3\nconv 4 3 relu padding=same strides=2\nconv 5 2x3 elu padding=valid dilation=2\nconv 3 3 softmax padding=same', ops: ['Conv'] },
  { name: 'conv2d same with an even kernel and strides (TensorFlow pads after)', source: 'input 8x7x2\nconv 3 4x2 padding=same strides=3' },
  { name: 'conv1d same, strided, dilated', source: 'input 12x3\nconv1d 4 3 relu padding=same strides=2\nconv1d 2 2 dilation=2 use_bias=false' },
  { name: 'maxpool2d and avgpool2d with same padding (padding left out of averages)', source: 'input 9x9x2\nmaxpool 3 strides=2 padding=same\navgpool 2 padding=same', ops: ['MaxPool', 'AveragePool'] },
  { name: 'maxpool2d / avgpool2d valid, strides other than the pool', source: 'input 10x10x2\nmaxpool 3 strides=2\navgpool 2 strides=1' },
  { name: 'maxpool1d and avgpool1d', source: 'input 11x3\nmaxpool1d 2\navgpool1d 3 strides=2 padding=same' },
  { name: 'global pools after a convolution (2D)', source: 'input 6x6x2\nconv 3 3 -> globalavgpool', ops: ['ReduceMean'] },
  { name: 'global max pool of a sequence (1D)', source: 'input 7x4\nglobalmaxpool\ndense 2', ops: ['ReduceMax'] },
  { name: 'flatten keeps the channels-last order', source: 'input 5x4x3\nconv 2 2 relu\nflatten\ndense 3', ops: ['Flatten'] },
  { name: 'dropout is the identity', source: 'input 6\ndense 4 relu -> dropout 0.5 -> dense 2' },
  { name: 'batchnorm after a dense layer (folded) and after a convolution (BatchNormalization)', source: 'input 6x6x3\nconv 4 3 -> batchnorm -> activation relu\nflatten\ndense 5 -> batchnorm', ops: ['BatchNormalization', 'Mul', 'Add'] },
  { name: 'batchnorm on a sequence', source: 'input 4x3\nbatchnorm epsilon=0.01' },
  { name: 'layernorm on vectors and sequences', source: 'input 5x6\nlayernorm\nflatten\ndense 4 -> layernorm epsilon=0.1', ops: ['LayerNormalization'] },
  { name: 'embedding (Gather)', source: 'input 5 int32\nembedding 20 4\nflatten\ndense 2', ops: ['Gather'], opts: { vocabulary: 20 } },
  { name: 'simplernn, last step and sequences', source: 'input 6x3\nsimplernn 4 return_sequences=true\nsimplernn 3 relu', ops: ['RNN'] },
  { name: 'lstm (Keras gate order i,f,c,o)', source: 'input 6x3\nlstm 4 return_sequences=true\nlstm 3', ops: ['LSTM'] },
  { name: 'lstm with relu and hard_sigmoid (activation parameters)', source: 'input 5x2\nlstm 3 relu recurrent_activation=hard_sigmoid' },
  { name: 'the other built-in cell activations: linear (Affine), elu, softsign, softplus', source: 'input 5x2\nsimplernn 3 linear return_sequences=true\ngru 3 elu recurrent_activation=softsign return_sequences=true\nlstm 2 softplus recurrent_activation=linear', ops: ['RNN', 'GRU', 'LSTM'] },
  { name: 'gru (reset_after=false)', source: 'input 6x3\ngru 4 return_sequences=true\ngru 3 recurrent_activation=hard_sigmoid', ops: ['GRU'] },
  { name: 'bidirectional lstm, concat of sequences', source: 'input 5x3\nbidirectional lstm 4 return_sequences=true\ndense 2' },
  { name: 'bidirectional gru, sum', source: 'input 5x3\nbidirectional gru 3 merge_mode=sum' },
  { name: 'bidirectional simplernn, mul of sequences', source: 'input 5x3\nbidirectional simplernn 3 return_sequences=true merge_mode=mul' },
  { name: 'bidirectional lstm, ave', source: 'input 5x3\nbidirectional lstm 2 merge_mode=ave' },
  { name: 'simplernn with an activation ONNX\'s RNN op lacks (a Scan over the Keras cell)', source: 'input 6x3\nsimplernn 4 gelu return_sequences=true\nsimplernn 3 selu', ops: ['Scan'] },
  { name: 'lstm as a Scan (swish, relu6 gates)', source: 'input 6x3\nlstm 4 swish recurrent_activation=relu6 return_sequences=true\nlstm 3 softmax', ops: ['Scan'] },
  { name: 'gru as a Scan (reset_after=false)', source: 'input 6x3\ngru 4 relu6 return_sequences=true\ngru 3 selu use_bias=false', ops: ['Scan'] },
  { name: 'bidirectional as two Scans, concat and ave', source: 'input 5x3\nbidirectional gru 3 gelu return_sequences=true\nbidirectional lstm 2 swish merge_mode=ave', ops: ['Scan'] },
  { name: 'bidirectional Scans, sum and mul', source: 'input 5x3\nbidirectional simplernn 3 selu return_sequences=true merge_mode=sum\nbidirectional simplernn 2 softmax merge_mode=mul', ops: ['Scan'] },
  { name: 'a Scan over a sequence of unknown length', source: 'input ?x4\nlstm 3 gelu', ops: ['Scan'], opts: { unknownDim: 7 } },
  { name: 'reshape', source: 'input 12\nreshape 4x3\nsimplernn 2', ops: ['Reshape'] },
  { name: 'upsample nearest', source: 'input 3x4x2\nupsample 2x3', ops: ['Resize'] },
  { name: 'upsample bilinear', source: 'input 3x4x2\nupsample 2 interpolation=bilinear' },
  { name: 'a sequence of unknown length', source: 'input ?x4\nlstm 3', opts: { unknownDim: 7 } },
  { name: 'an image of unknown size (auto_pad)', source: 'input ?x?x3\nconv 2 3 padding=same strides=2 -> globalmaxpool', opts: { unknownDim: 7 } },
  ...ACTIVATIONS.map((a) => ({ name: `activation ${a}`, source: `input 4x5\nactivation ${a}\nconv1d 2 2 ${a}`, opts: { amplitude: 1 } })),
];

function opTypes(onnx: Uint8Array): string[] {
  return [...new Set(decodeModel(onnx).graph.node.map((n) => n.op_type))];
}

describe('ONNX export: one small spec per layer kind', () => {
  it('every layer kind is exported by at least one case below or in onnx-graph-cases.ts', () => {
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
