/**
 * The check => train rule: whatever `mlc check` accepts, TensorFlow.js builds
 * and trains. First the cases found by hand (each once a crash inside
 * training), then random specs over every layer kind and option.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileIRJson, compileSource } from '../../src/ir/pipeline.js';
import { checkThenTrain } from './train-step.js';

const C = 'compile loss=categorical_crossentropy optimizer=adam';

/** The first error `check` reports for a spec. */
function firstError(text: string, ir = false): string | undefined {
  const r = ir ? compileIRJson(text, 'x.json') : compileSource(text, 'x.model');
  return r.diagnostics.find((d) => d.severity === 'error')?.message;
}

describe('check => train, the cases found by hand', () => {
  it('flatten on an already flat input keeps it, as in Keras, and trains', async () => {
    assert.deepEqual(await checkThenTrain(`input 784\nflatten\ndense 10 softmax\n${C}`), { checked: true });
    assert.deepEqual(await checkThenTrain(`input 10 int32\nflatten\nembedding 100 8\nflatten\ndense 2 softmax\n${C}`), { checked: true });
  });

  it('names TensorFlow.js cannot use, and the input\'s own name, are check errors', () => {
    for (const name of ['_hidden', '__proto__']) {
      assert.match(firstError(`input 784\ndense 10 softmax name=${name}\n${C}`) ?? '', new RegExp(`the layer name \`${name}\` cannot be used: names start with a letter or digit`));
    }
    assert.match(firstError(`input 784\ndense 10 softmax name=input_layer\n${C}`) ?? '', /the layer name `input_layer` is the name of the model's input/);
  });

  it('batchnorm over a non-last axis is a check error (TensorFlow.js cannot train it)', () => {
    assert.match(firstError(`input 28x28x1\nbatchnorm axis=1\nflatten\ndense 10 softmax\n${C}`) ?? '', /batchnorm over axis 1 of \(None, 28, 28, 1\) cannot be trained by TensorFlow\.js/);
  });

  it('dropout on int32 token ids is a check error', () => {
    assert.match(firstError(`input 10 int32\ndropout 0.5\nembedding 100 8\nflatten\ndense 2 softmax\n${C}`) ?? '', /dropout .* needs float values; its input is int32 token ids/);
  });

  it('an IR whose output is its input, or whose dense has two inputs, is a check error', () => {
    const base = (nodes: object[], outputs: string[]) => JSON.stringify({
      irVersion: 1, name: 'm', inputs: [{ id: 'input', name: 'input_layer', shape: [4], dtype: 'float32' }], nodes, outputs,
    });
    const dense = (id: string, inputs: string[]) => ({ id, kind: 'dense', kerasClass: 'Dense', name: id, args: { units: 2, activation: 'linear', use_bias: true }, inputs });
    assert.match(firstError(base([dense('d', ['input'])], ['input']), true) ?? '', /the output `input` is the model's input; an output must be a layer/);
    assert.match(firstError(base([dense('a', ['input']), dense('b', ['input', 'a'])], ['b']), true) ?? '', /dense `b` takes one input tensor; it is given 2/);
  });
});

describe('check => train on random specs', () => {
  it('every random spec over every layer kind and option that check accepts builds and trains one step', { timeout: 600_000 }, async () => {
    const fc = (await import('fast-check')).default;
    const { layerDefs, randomSpec } = await import('./spec-arbitraries.js');
    const defs = await layerDefs();
    let accepted = 0;
    const kinds = new Set<string>();
    await fc.assert(
      fc.asyncProperty(randomSpec(defs), async (text) => {
        const r = await checkThenTrain(text);
        if (!r.checked) return;
        accepted++;
        for (const line of text.split('\n').slice(1, -2)) kinds.add(line.split(' ')[0]);
        assert.equal(r.error, undefined, `check accepted this spec, but training failed:\n${text}\n${r.error}`);
      }),
      { numRuns: Number(process.env.MLC_PROPERTY_RUNS ?? 1000), seed: Number(process.env.MLC_PROPERTY_SEED ?? 20261130) },
    );
    // The property means little unless check accepted a fair share, over most kinds.
    assert.ok(accepted >= 20, `only ${accepted} random specs were accepted`);
    assert.ok(kinds.size >= defs.length / 2, `accepted specs used only ${[...kinds].join(', ')}`);
  });
});

describe('check => train, what the random specs found', () => {
  const cases: [string, string, RegExp][] = [
    ['no weights', 'input 1\nflatten\ncompile loss=mse optimizer=sgd\n', /the model has no trainable weights/],
    ['batchnorm on ids', 'input 6 int32\nbatchnorm\ncompile loss=categorical_crossentropy optimizer=adam\n', /`batchnorm` needs float values, but its input is int32 token ids/],
    ['bilinear, not square', 'input 4x6x1\nconv 2 1\nupsample 2 interpolation=bilinear\nflatten\ndense 2 softmax\ncompile loss=categorical_crossentropy optimizer=adam\n', /bilinear upsampling of a non-square input \(None, 4, 6, 2\)/],
    ['embedding of computed values', 'input ?x3\nlstm 1\ndense 1\nembedding 3 6\nflatten\ndense 2 sigmoid\ncompile loss=mae optimizer=adam\n', /looks up token ids, but its input is computed/],
    ['fixed reshape of ?', 'input ?x3\nreshape 1x2x3\nflatten\ndense 1\ncompile loss=mse optimizer=adam\n', /a `\?` dimension can hold any number of values/],
    // Keras's Orthogonal initializer raises at build for a weight of rank < 2 ("must be at least two-dimensional"), as tfjs does.
    ['orthogonal bias', 'input 8x8x1\ngaussiandropout 0.5\nglobalavgpool\ndense 1 bias_initializer=orthogonal\nflatten\ndense 1 linear\ncompile loss=poisson optimizer=sgd\n', /`bias_initializer=orthogonal` cannot start the bias of `dense`, of shape \(1,\): an orthogonal matrix needs a weight of 2 or more dimensions/],
    ['orthogonal bias, wrapped', 'input 4x3\nbidirectional lstm 2 bias_initializer=orthogonal\ndense 1\ncompile loss=mse optimizer=sgd\n', /`bias_initializer=orthogonal` cannot start the bias of `bidirectional`, of shape \(8,\)/],
    ['embedding of values computed without weights', 'input 6x9x1\navgpool2d 3x1 strides=2x3 padding=valid\ngaussiannoise 0.9\nembedding 1 2\nbatchnorm momentum=0.9 epsilon=0.9\ncompile loss=categorical_hinge optimizer=adagrad\n', /`embedding` looks up token ids, but its input is computed by `average_pooling2d`/],
    ['-1 reshape of ? that only sometimes divides', 'input ?x3\nreshape [-1, 2]\nlstm 2\ndense 1\ncompile loss=mse optimizer=adam\n', /needs a multiple of 2 values, which its input \(None, None, 3\) has only for some lengths/],
  ];
  for (const [title, text, message] of cases) {
    it(`refuses at check: ${title}`, async () => {
      assert.match(firstError(text) ?? 'accepted', message);
      assert.deepEqual(await checkThenTrain(text), { checked: false });
    });
  }

  it('a recurrent layer over one time step behind a layer with weights trains (mlc supplies the Unpack gradient)', async () => {
    for (const rnn of ['lstm 3', 'gru 3', 'simplernn 3', 'bidirectional lstm 2']) {
      assert.deepEqual(await checkThenTrain(`input 1x2\ndense 2\n${rnn}\ndense 2 softmax\ncompile loss=categorical_crossentropy optimizer=adam\n`), { checked: true }, rnn);
      assert.deepEqual(await checkThenTrain(`input 1 int32\nembedding 6 2\n${rnn}\ndense 3 softmax\ncompile loss=sparse_categorical_crossentropy optimizer=adam\n`), { checked: true }, rnn);
    }
  });

  it('dilated convolutions train, whatever their activation (mlc runs a dilated conv2d unfused and supplies the dilated gradients)', async () => {
    for (const layers of [
      'conv2d 2 2 dilation_rate=2',
      'conv2d 2 2 sigmoid dilation_rate=1x2',
      'randomtranslation 0.8 0.8 interpolation=nearest fill_value=0.9\nseparableconv2d 2 1x3 strides=1x1 padding=same depth_multiplier=2 dilation_rate=2x2 use_bias=true',
      'separableconv2d 2 1x3 linear dilation_rate=2x1',
    ]) {
      const spec = `input 7x10x2\n${layers}\nflatten\ndense 2 softmax\n${C}\n`;
      assert.deepEqual(await checkThenTrain(spec), { checked: true }, spec);
    }
  });

  it('a `?` length too short for a crop or a kernel is a data error naming the layer, as Keras builds the model and fails only on the data', async () => {
    // The random data gives `?` 6 steps: cropping 3 + 3 leaves none (Keras: Cropping1D needs n − 6 ≥ 1).
    const r = await checkThenTrain(`input ?x3\ncropping1d 3\nconv1d 2 1\nglobalmaxpool\ndense 2 softmax\n${C}\n`);
    assert.ok(r.checked && r.error === undefined, JSON.stringify(r));
    assert.match(r.dataError ?? '', /at that size `cropping1d` fails: cropping1d \[3, 3\] removes all 6 steps of its input/);
    assert.deepEqual(await checkThenTrain(`input ?x3\ncropping1d 2\nconv1d 2 1\nglobalmaxpool\ndense 2 softmax\n${C}\n`), { checked: true });
  });

  it('orthogonal initializers of weights with 2 or more dimensions train (a kernel; GRU\'s (2, 3·units) bias)', async () => {
    for (const layers of ['dense 3 kernel_initializer=orthogonal', 'gru 2 bias_initializer=orthogonal kernel_initializer=orthogonal']) {
      const spec = `input 4x3\n${layers}\nflatten\ndense 2 softmax\n${C}\n`;
      assert.deepEqual(await checkThenTrain(spec), { checked: true }, spec);
    }
  });

  it('token ids behind a flatten fit the embedding they reach (the loaders check them against its input_dim)', async () => {
    const spec = 'input 1 int32\nflatten\nembedding 1 3\nflatten\ndense 4 softmax\ncompile loss=msle optimizer=sgd(momentum=0.9, nesterov=true)\n';
    assert.deepEqual(await checkThenTrain(spec), { checked: true });
  });

  it('batchnorm and layernorm of rank 5 train (mlc folds them to the ranks tfjs-layers normalises)', async () => {
    for (const spec of [
      'input 6x5x2\nembedding 3 6 embeddings_initializer=random_uniform\ndropout 0.5\nlayernorm epsilon=0.1\ncompile loss=hinge optimizer=adam\n',
      'input 2x2x2x3\nbatchnorm momentum=0.9 epsilon=0.9\nflatten\ndense 2 softmax\ncompile loss=categorical_hinge optimizer=adagrad\n',
    ]) assert.deepEqual(await checkThenTrain(spec), { checked: true }, spec);
  });

  it('relu max_value=0 trains (its output is all zeros, as in Keras, but stays connected to the weights before it)', async () => {
    const spec = 'input 7x5x2\nlayernorm epsilon=0.9\nrelu max_value=0\ncompile loss=sparse_categorical_crossentropy optimizer=adadelta\n';
    assert.deepEqual(await checkThenTrain(spec), { checked: true });
  });

  it('a reshape with -1 after a known size trains even when a flatten follows (tfjs leaves the -1 unknown)', async () => {
    assert.deepEqual(await checkThenTrain('input 3\nreshape [-1, 1]\nflatten\ndense 2 softmax\ncompile loss=categorical_crossentropy optimizer=adam\n'), { checked: true });
  });
});
