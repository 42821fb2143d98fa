/**
 * The penalties tfjs-layers leaves out, in the emitted module: a recurrent
 * layer's weight regularizers and Keras 3's activity_regularizer. The
 * emitted buildModel(), compiled and fitted with tfjs's own model.fit (as the
 * emitted train() does), reports Keras's loss: the crossentropy plus both
 * penalties, computed here by hand.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { compileSource } from '../../src/ir/pipeline.js';
import { emitTypeScript } from '../../src/codegen/index.js';
import { makeScratch, removeScratch, typecheck, writeEmitted } from './helpers.js';

// An all-ones kernel gives every class the same score: crossentropy ln 3, and each softmax row sums to 1,
// so l1(0.5) on it adds 0.5 per sample of the batch. A learning rate of 1e-9 leaves the weights as they start.
const SPEC = `input 6
reshape 3x2
lstm 4 kernel_regularizer=l2(0.3) recurrent_regularizer=l1(0.2)
dense 3 softmax kernel_initializer=ones activity_regularizer=l1(0.5)
compile loss=categorical_crossentropy optimizer=sgd(lr=1e-9)
`;

interface EmittedModel {
  buildModel(): tf.LayersModel;
  compileModel(model: tf.LayersModel): void;
}

describe('penalties in the emitted TypeScript', () => {
  let scratch: string;
  let path: string;

  before(async () => {
    await tf.setBackend('cpu');
    scratch = makeScratch();
    const compiled = compileSource(SPEC, 'penalties.model');
    const emitted = await emitTypeScript(compiled.ir!, compiled.facts!, { specFile: 'penalties.model' });
    path = writeEmitted(scratch, 'penalties', emitted);
  });
  after(() => removeScratch(scratch));

  it('type-checks', () => {
    const r = typecheck([path]);
    assert.equal(r.status, 0, r.output);
  });

  it('model.fit reports the crossentropy + the lstm\'s weight penalties + the activity penalty of the batch', async () => {
    const mod = (await import(pathToFileURL(path).href)) as EmittedModel;
    const model = mod.buildModel();
    mod.compileModel(model);
    const n = 10;
    const x = tf.randomUniform([n, 6], -1, 1, 'float32', 3);
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => i % 3), 'int32'), 3);
    const [kernel, recurrent] = model.getLayer('lstm').getWeights().map((w) => Array.from(w.dataSync()));
    const weights = 0.3 * kernel.reduce((s, v) => s + v * v, 0) + 0.2 * recurrent.reduce((s, v) => s + Math.abs(v), 0);
    const history = await model.fit(x, y, { epochs: 1, batchSize: n, shuffle: false, verbose: 0 });
    const want = Math.log(3) + weights + 0.5 * n;
    const loss = history.history.loss[0] as number;
    assert.ok(Math.abs(loss - want) < 1e-4, `loss ${loss}, ln 3 + ${weights} + 0.5·${n} = ${want}`);
    model.dispose();
  });
});
