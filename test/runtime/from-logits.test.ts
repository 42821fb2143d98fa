/**
 * Losses called with from_logits=true: trained on raw scores with the
 * softmax or sigmoid inside the loss, as Keras does. For the same weights,
 * the loss of a linear output under `X(from_logits=true)` equals the loss of
 * the same model ending in softmax (sigmoid) under plain `X`; and predict
 * turns the scores into probabilities.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSource } from '../../src/ir/pipeline.js';
import { buildModel, compileModel } from '../../src/runtime/model.js';
import { objectiveOf } from '../../src/runtime/objective.js';
import { testTf } from './helpers.js';

async function lossOf(source: string, weightsFrom: ReturnType<typeof buildModel> | undefined, y: number[][]) {
  const tf = await testTf();
  const r = compileSource(source, 'x.model');
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  const model = buildModel(tf, r.ir!, { seed: 4 });
  if (weightsFrom) model.setWeights(weightsFrom.getWeights());
  compileModel(tf, model, r.ir!);
  const objective = objectiveOf(tf, model, r.ir!);
  const x = tf.tensor2d([[0.5, -1, 2, 0.1], [1, 1, -0.5, 0.3]]);
  const loss = tf.tidy(() => objective.outputs[0].loss(tf.tensor2d(y), model.predict(x) as never).mean().dataSync()[0]);
  return { model, loss };
}

describe('from_logits=true', () => {
  const cases: [string, string, number[][]][] = [
    ['categorical_crossentropy', 'softmax', [[0, 1, 0], [1, 0, 0]]],
    ['sparse_categorical_crossentropy', 'softmax', [[1], [2]]],
    ['binary_crossentropy', 'sigmoid', [[1, 0, 1], [0, 0, 1]]],
  ];
  for (const [loss, activation, y] of cases) {
    it(`${loss}: scores under from_logits give the loss of probabilities under the plain loss`, async () => {
      const logits = await lossOf(`input 4\ndense 3\ncompile loss=${loss}(from_logits=true) optimizer=adam\n`, undefined, y);
      const probs = await lossOf(`input 4\ndense 3 ${activation}\ncompile loss=${loss} optimizer=adam\n`, logits.model, y);
      assert.ok(Number.isFinite(logits.loss));
      assert.ok(Math.abs(logits.loss - probs.loss) < 1e-5, `${logits.loss} vs ${probs.loss}`);
      logits.model.dispose();
      probs.model.dispose();
    });
  }

  it('check warns when the output already applies the activation the loss applies', () => {
    const r = compileSource('input 4\ndense 3 softmax\ncompile loss=categorical_crossentropy(from_logits=true) optimizer=adam\n', 'x.model');
    const w = r.diagnostics.find((d) => d.code === 'W-LOSS-ACTIVATION');
    assert.match(w?.message ?? '', /from_logits=true\) applies softmax itself, but the output layer already applies `softmax`/);
  });
});
