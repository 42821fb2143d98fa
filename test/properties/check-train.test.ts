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
    assert.match(firstError(base([dense('a', ['input']), dense('b', ['input', 'a'])], ['b']), true) ?? '', /layer `b` \(dense\) takes one input, but lists 2/);
  });
});
