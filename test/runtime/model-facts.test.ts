/**
 * The tfjs model built from a spec must be the model the checker describes:
 * for every layer, tfjs's own output shape and parameter count equal the IR facts.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { LAYER_DEFS } from '../../src/layers/index.js';
import { compileSource } from '../../src/ir/pipeline.js';
import { buildModel } from '../../src/runtime/model.js';
import { testTf } from './helpers.js';

/** Between them these use every layer kind of the language. */
const INLINE: Record<string, string> = {
  'conv-pool': 'input 32x32x3\nzeropadding2d 1x2\nconv 8 3x3 relu padding=same stride=2\nconv 4 3 relu dilation=2\nmaxpool 2\navgpool 2 strides=1 padding=same\nupsample 2\nbatchnorm\nglobalmaxpool\ndense 5 softmax\n',
  'conv1d-pool1d': 'input 40x6\nconv1d 8 5 relu\nmaxpool1d 2\navgpool1d 3 strides=2\nlayernorm\nglobalavgpool\ndense 1 sigmoid\n',
  'rnn': 'input ?x12\nsimplernn 6 return_sequences=true\ngru 5 return_sequences=true\nlstm 4 return_sequences=true\nbidirectional lstm 3 return_sequences=true\nbidirectional gru 2 merge_mode=sum\ndense 2\n',
  'text': 'input 20 int32\nembedding 100 8\nbidirectional simplernn 4\ndropout 0.5\nactivation swish\ndense 3 gelu\n',
  'reshape': 'input 64\nreshape 4x4x4\nconv 2 2 selu\nflatten\nreshape 2x9\nglobalmaxpool\ndense 1 hard_sigmoid\n',
  'activation-layers': 'input 8x8x3\nconv 4 3\nleakyrelu 0.2\nprelu shared_axes=[1, 2]\nrelu max_value=6 threshold=0.1 negative_slope=0.01\nelu 0.5\nflatten\ndense 3\nsoftmax\n',
 'noise-shapes': 'input 16x16x3\nrandomflip\nrescaling 0.5 offset=-1\ncropping2d [1, 2]\nconv 4 3\nspatialdropout2d 0.2\ngaussiannoise 0.1\ngaussiandropout 0.1\nglobalavgpool\nrepeatvector 5\npermute [2, 1]\nspatialdropout1d 0.1\nconv1d 2 2 padding=causal\nzeropadding1d [2, 1]\nupsampling1d 2\ncropping1d 1\nflatten\ndense 2 softmax\n',
  'deconv': 'input 8x8x3\nseparableconv2d 8 3 relu padding=same depth_multiplier=2\ndepthwiseconv2d 3 relu\nconv2dtranspose 4 3 relu strides=2 padding=same\nconv2dtranspose 2 2 strides=2\nconv2dtranspose 2 3 padding=same strides=2 output_padding=1\nconv2dtranspose 2 3 relu dilation_rate=2\nreshape 52x104\nconv1dtranspose 3 4 padding=same strides=2 output_padding=1\nconv1dtranspose 2 3 relu dilation_rate=2\nflatten\ndense 1\n',
  'augmentation': 'input 16x16x3\nrandomrotation 0.1 fill_mode=constant\nrandomzoom 0.2 width_factor=0.1\nrandomtranslation 0.1 0.2 interpolation=nearest\nrandomcontrast 0.3\nrandomcrop 12 10\nconv 2 3\nflatten\ndense 1\n',
  'normalization': 'input 5x4\nnormalization\nnormalization axis=1 invert=true\nnormalization mean=0.5 variance=4\nflatten\ndense 1\n',
};

function specs(): [string, string][] {
  const files = readdirSync('specs').filter((f) => f.endsWith('.model')).map((f): [string, string] => [`specs/${f}`, readFileSync(`specs/${f}`, 'utf8')]);
  return [...files, ...Object.entries(INLINE)];
}

describe('built tfjs models match the IR facts', () => {
  it('the specs below use every one-input layer kind (test/layers/merges.test.ts builds the merges)', () => {
    const used = new Set(specs().flatMap(([file, source]) => compileSource(source, file).ir?.nodes.map((n) => n.kind) ?? []));
    assert.deepEqual(LAYER_DEFS.filter((d) => d.arity === 1 && !used.has(d.kind)).map((d) => d.kind), []);
  });

  for (const [file, source] of specs()) {
    it(file, async () => {
      const tf = await testTf();
      const { ir, facts, diagnostics } = compileSource(source, file);
      assert.ok(ir && facts && !diagnostics.some((d) => d.severity === 'error'), `${file} should check: ${diagnostics.map((d) => d.message).join('; ')}`);
      const model = buildModel(tf, ir, { seed: 1 });
      try {
        // tfjs lists a graph's layers in its own topological order: layers are matched by name.
        const layers = new Map(model.layers.filter((l) => l.getClassName() !== 'InputLayer').map((l) => [l.name, l]));
        assert.deepEqual([...layers.keys()].sort(), facts.nodes.map((n) => n.name).sort(), 'layer names');
        for (const f of facts.nodes) {
          const layer = layers.get(f.name)!;
          assert.deepEqual(layer.outputShape, f.outputShape, `${f.name} output shape`);
          assert.equal(layer.countParams(), f.trainableParams + f.nonTrainableParams, `${f.name} params`);
          assert.equal(layer.getClassName(), f.kerasClass, `${f.name} class`);
        }
        assert.equal(model.countParams(), facts.totalParams);
      } finally {
        model.dispose();
      }
    });
  }
});
