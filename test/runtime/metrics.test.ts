/**
 * Precision and recall are epoch-level, as Keras's Precision and Recall
 * metrics are: true positives over all predicted (or actual) positives of all
 * batches, not the mean of each batch's ratio.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveMetric } from '../../src/runtime/metrics.js';
import { batchSums, scoresFrom, sumsWidth, type Objective } from '../../src/runtime/objective.js';
import { testTf } from './helpers.js';

/** Keras's definition, counted directly: threshold 0.5, every output unit a binary decision. */
function kerasRatio(yTrue: number[], yPred: number[], of: 'precision' | 'recall'): number {
  let truePositives = 0;
  let positives = 0;
  yTrue.forEach((t, i) => {
    const predicted = yPred[i]! > 0.5;
    if (predicted && t === 1) truePositives++;
    if (of === 'precision' ? predicted : t === 1) positives++;
  });
  return positives > 0 ? truePositives / positives : 0;
}

describe('precision and recall', () => {
  // Two batches of two samples with three output units; the second has far fewer positives, predicted and actual.
  const batches = [
    { yTrue: [1, 0, 1, 0, 1, 1], yPred: [0.9, 0.7, 0.2, 0.6, 0.8, 0.4] },
    { yTrue: [0, 0, 1, 0, 0, 0], yPred: [0.1, 0.2, 0.9, 0.3, 0.2, 0.1] },
  ];
  const all = { yTrue: batches.flatMap((b) => b.yTrue), yPred: batches.flatMap((b) => b.yPred) };

  it('are the epoch totals Keras reports, not means of per-batch values', async () => {
    const tf = await testTf();
    const objective: Objective = {
      outputs: [{
        name: 'out', weight: 1,
        loss: (t, p) => tf.metrics.meanSquaredError(t, p),
        metrics: (['precision', 'recall'] as const).map((name) => ({ name, metric: resolveMetric(tf, name, 'binary_crossentropy', 3)! })),
      }],
    };
    const totals = new Float64Array(sumsWidth(objective));
    for (const b of batches) {
      const sums = tf.tidy(() => batchSums(tf, objective, [tf.tensor2d(b.yTrue, [2, 3])], [tf.tensor2d(b.yPred, [2, 3])]));
      (await sums.data()).forEach((v, i) => (totals[i] += v));
      sums.dispose();
    }
    const scores = scoresFrom(objective, totals, 4);
    for (const of of ['precision', 'recall'] as const) {
      const expected = kerasRatio(all.yTrue, all.yPred, of);
      assert.ok(Math.abs(scores[of]! - expected) < 1e-6, `${of}: ${scores[of]} vs Keras's ${expected}`);
      const meanOfBatches = batches.reduce((s, b) => s + kerasRatio(b.yTrue, b.yPred, of), 0) / batches.length;
      assert.ok(Math.abs(meanOfBatches - expected) > 0.05, `the data tells the two definitions apart for ${of}`);
    }
  });

  it('are 0 when nothing was predicted (or is) positive', async () => {
    const tf = await testTf();
    const metric = resolveMetric(tf, 'precision', 'binary_crossentropy', 1)!;
    const sums = tf.tidy(() => metric.sums(tf.tensor2d([1, 0], [2, 1]), tf.tensor2d([0.1, 0.2], [2, 1])).map((t) => t.dataSync()[0]!));
    assert.deepEqual(sums, [0, 0]);
    assert.equal(metric.score(sums, 2), 0);
  });
});
