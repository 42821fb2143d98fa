/** The registry: the whole v1 table of DSL.md, unique names, and well-formed specs. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findLayer, LAYER_DEFS, layerNames } from '../../src/layers/index.js';
import { ACTIVATIONS } from '../../src/layers/activations.js';
import { lower } from '../../src/ir/lower.js';
import { parse } from '../../src/parser/parse.js';
import { inferLayer } from './helpers.js';

/** DSL.md's tables: every name (kind or alias) and its Keras class. */
const DSL_TABLE: Record<string, string> = {
  dense: 'Dense', conv: 'Conv2D', conv2d: 'Conv2D', conv1d: 'Conv1D',
  maxpool: 'MaxPooling2D', maxpool2d: 'MaxPooling2D', avgpool: 'AveragePooling2D', avgpool2d: 'AveragePooling2D',
  maxpool1d: 'MaxPooling1D', avgpool1d: 'AveragePooling1D',
  globalmaxpool: 'GlobalMaxPooling2D', globalavgpool: 'GlobalAveragePooling2D',
  flatten: 'Flatten', dropout: 'Dropout', batchnorm: 'BatchNormalization', layernorm: 'LayerNormalization',
  activation: 'Activation', embedding: 'Embedding', simplernn: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU',
  bidirectional: 'Bidirectional', reshape: 'Reshape', upsample: 'UpSampling2D', upsampling2d: 'UpSampling2D',
  // v2: the merges, and ZeroPadding2D (which ResNet50 needs).
  add: 'Add', subtract: 'Subtract', multiply: 'Multiply', average: 'Average', maximum: 'Maximum', minimum: 'Minimum',
  concat: 'Concatenate', concatenate: 'Concatenate', dot: 'Dot', zeropadding2d: 'ZeroPadding2D',
  // Kinds beyond v1, from the Keras tutorials.
  leakyrelu: 'LeakyReLU', prelu: 'PReLU', relu: 'ReLU', softmax: 'Softmax', elu: 'ELU',
  conv2dtranspose: 'Conv2DTranspose', deconv2d: 'Conv2DTranspose', conv1dtranspose: 'Conv1DTranspose', deconv1d: 'Conv1DTranspose', separableconv2d: 'SeparableConv2D', depthwiseconv2d: 'DepthwiseConv2D',
  zeropadding1d: 'ZeroPadding1D', cropping1d: 'Cropping1D', upsampling1d: 'UpSampling1D',
  cropping2d: 'Cropping2D', repeatvector: 'RepeatVector', permute: 'Permute', rescaling: 'Rescaling', normalization: 'Normalization',
  spatialdropout1d: 'SpatialDropout1D', spatialdropout2d: 'SpatialDropout2D', gaussiannoise: 'GaussianNoise', gaussiandropout: 'GaussianDropout',
  randomflip: 'RandomFlip', randomrotation: 'RandomRotation', randomzoom: 'RandomZoom', randomtranslation: 'RandomTranslation',
  randomcontrast: 'RandomContrast', randomcrop: 'RandomCrop',
};

describe('layer registry', () => {
  test('every name of the language resolves to its Keras class', () => {
    for (const [name, cls] of Object.entries(DSL_TABLE)) assert.equal(findLayer(name)?.kerasClass, cls, name);
    assert.deepEqual(layerNames().sort(), Object.keys(DSL_TABLE).sort());
  });

  test('kinds and aliases are unique across definitions', () => {
    const all = LAYER_DEFS.flatMap((d) => [d.kind, ...d.aliases]);
    assert.equal(new Set(all).size, all.length);
  });

  test('every definition has a doc and an example of itself', () => {
    for (const def of LAYER_DEFS) {
      assert.ok(def.doc.length > 10, def.kind);
      assert.equal(findLayer(def.example.split(' ')[0]), def, `${def.kind} example: ${def.example}`);
    }
  });

  test('every one-input example lowers without a diagnostic', () => {
    // A merge's example reads named tensors; test/layers/merges.test.ts checks the merges.
    for (const def of LAYER_DEFS.filter((d) => d.arity === 1)) {
      const parsed = parse(`input 28x28x1\n${def.example}\n`);
      assert.deepEqual(parsed.diagnostics, [], def.example);
      assert.deepEqual(lower(parsed.file, 'm').diagnostics, [], def.example);
    }
  });

  test('argument specs: documented, unique names, required positionals first', () => {
    for (const def of LAYER_DEFS) {
      const specs = [...def.positional, ...def.options];
      const keys = specs.flatMap((s) => [s.name, ...(s.aliases ?? [])]);
      assert.equal(new Set(keys).size, keys.length, def.kind);
      for (const s of specs) assert.ok(s.doc.length > 0, `${def.kind}.${s.name}`);
      const firstOptional = def.positional.findIndex((s) => s.default !== undefined || s.optional);
      if (firstOptional >= 0) {
        for (const s of def.positional.slice(firstOptional)) assert.ok(s.default !== undefined || s.optional, `${def.kind}.${s.name}`);
      }
    }
  });
});

describe('Keras defaults and DSL aliases', () => {
  const spec = (kind: string, name: string) => [...findLayer(kind)!.positional, ...findLayer(kind)!.options].find((s) => s.name === name);

  test('conv options use Keras names with the short aliases', () => {
    for (const kind of ['conv2d', 'conv1d']) {
      assert.deepEqual(spec(kind, 'strides')?.aliases, ['stride']);
      assert.deepEqual(spec(kind, 'dilation_rate')?.aliases, ['dilation']);
      assert.equal(spec(kind, 'padding')?.default, 'valid');
      assert.equal(spec(kind, 'use_bias')?.default, true);
    }
  });

  test('pooling strides default to the pool size', () => {
    for (const kind of ['maxpool2d', 'avgpool2d', 'maxpool1d', 'avgpool1d']) {
      assert.equal(spec(kind, 'strides')?.defaultFrom, 'pool_size', kind);
    }
    // An IR that keeps strides null still infers Keras's default.
    const r = inferLayer('maxpool2d', { pool_size: 3, strides: null }, [9, 9, 1]);
    assert.ok(r.ok);
    assert.deepEqual(r.outputShape, [null, 3, 3, 1]);
  });

  test('recurrent defaults are Keras\'s', () => {
    for (const kind of ['simplernn', 'lstm', 'gru']) {
      assert.equal(spec(kind, 'activation')?.default, 'tanh', kind);
      assert.equal(spec(kind, 'return_sequences')?.default, false, kind);
    }
    assert.equal(spec('lstm', 'recurrent_activation')?.default, 'sigmoid');
    assert.equal(spec('gru', 'recurrent_activation')?.default, 'sigmoid');
    assert.equal(spec('gru', 'reset_after')?.default, true, 'Keras 3 and TF2 build reset_after=True');
    assert.equal(spec('bidirectional', 'merge_mode')?.default, 'concat');
  });

  test('normalisation defaults are Keras\'s', () => {
    assert.equal(spec('batchnorm', 'momentum')?.default, 0.99);
    assert.equal(spec('batchnorm', 'epsilon')?.default, 0.001);
    assert.equal(spec('layernorm', 'epsilon')?.default, 0.001);
  });

  test('dropout rate is in [0, 1)', () => {
    assert.deepEqual(spec('dropout', 'rate')?.arg, { type: 'float', min: 0, exclusiveMax: 1 });
  });

  test('every activation of the language is accepted', () => {
    const arg = spec('activation', 'activation')!.arg;
    assert.equal(arg.type, 'enum');
    if (arg.type === 'enum') assert.deepEqual([...arg.values], [...ACTIVATIONS]);
  });
});
