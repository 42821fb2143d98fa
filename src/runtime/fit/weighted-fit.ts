/**
 * model.fit with Keras's sample_weight, which TensorFlow.js's model.fit does
 * not take: each sample's loss is scaled by its weight and the batch's loss
 * is their sum over the batch size (Keras 3's `sum_over_batch_size`), plus
 * the layers' regularization penalties. Everything else is as model.fit does
 * it: the last `validationSplit` of the samples is held out before
 * shuffling, the same callbacks are called with the same logs (`loss`, the
 * compiled metrics by model.metricsNames, `val_` ones), and
 * `model.stopTraining` ends training. The shuffling is seeded as `mlc
 * train`'s, so with the same seed both visit the samples in the same order.
 *
 * The metrics and the validation loss are not weighted, as in `mlc train`.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { epochRandom, permutation } from './random.js';

export interface WeightedFitArgs {
  epochs: number;
  batchSize: number;
  /** The fraction of the samples, the last ones, held out to report `val_` figures on. */
  validationSplit?: number;
  /** Shuffle the training samples before each epoch (default true). */
  shuffle?: boolean;
  /** Makes the shuffling order reproducible. */
  seed?: number;
  callbacks?: tfjs.CustomCallbackArgs;
}

type Logs = Record<string, number>;

/**
 * Trains a compiled one-output model on x and y, weighing sample i's loss by
 * `sampleWeights[i]` (class weights, if any, already multiplied in).
 */
export async function fitWithSampleWeights(
  tf: typeof tfjs, model: tfjs.LayersModel, x: tfjs.Tensor, y: tfjs.Tensor, sampleWeights: Float32Array, args: WeightedFitArgs,
): Promise<tfjs.History> {
  const count = x.shape[0]!;
  if (sampleWeights.length !== count) throw new Error(`${sampleWeights.length} sample weights for ${count} samples`);
  // Keras's and model.fit's split: the first floor(count · (1 - validationSplit)) samples train.
  const trainCount = args.validationSplit ? Math.floor(count * (1 - args.validationSplit)) : count;
  const weights = tf.tensor1d(sampleWeights);
  const [xTrain, xVal] = splitAt(x, trainCount);
  const [yTrain, yVal] = splitAt(y, trainCount);
  const [wTrain, wVal] = splitAt(weights, trainCount);
  const variables = model.trainableWeights.map((w) => w.read() as tfjs.Variable);
  const callbacks = args.callbacks ?? {};
  const history = new tf.History();
  const batches = Math.ceil(trainCount / args.batchSize);
  try {
    model.stopTraining = false;
    await history.onTrainBegin();
    await callbacks.onTrainBegin?.({});
    for (let epoch = 0; epoch < args.epochs && !model.stopTraining; epoch++) {
      await callbacks.onEpochBegin?.(epoch, {});
      const order = (args.shuffle ?? true) ? permutation(trainCount, epochRandom(args.seed, epoch + 1)) : undefined;
      const totals = new Map<string, number>();
      for (let batch = 0; batch < batches && !model.stopTraining; batch++) {
        const start = batch * args.batchSize;
        const size = Math.min(args.batchSize, trainCount - start);
        await callbacks.onBatchBegin?.(batch, { batch, size });
        const figures = tf.tidy(() => {
          const indices = order && tf.tensor1d(order.subarray(start, start + size), 'int32');
          const take = (t: tfjs.Tensor) => (indices ? tf.gather(t, indices) : t.slice(start, size));
          const yb = take(yTrain);
          let scores: tfjs.Tensor[] = [];
          // returnCost: the loss, scores[0], outlives the step.
          model.optimizer.minimize(() => {
            const prediction = model.apply(take(xTrain), { training: true }) as tfjs.Tensor;
            scores = batchScores(tf, model, yb, prediction, take(wTrain)).map((s) => tf.keep(s));
            return scores[0] as tfjs.Scalar;
          }, true, variables);
          const stacked = tf.stack(scores);
          scores.forEach((s) => s.dispose());
          return stacked;
        });
        const values = await figures.data();
        figures.dispose();
        const logs: Logs = { batch, size };
        model.metricsNames.forEach((name, i) => {
          logs[name] = values[i];
          totals.set(name, (totals.get(name) ?? 0) + values[i] * size);
        });
        await callbacks.onBatchEnd?.(batch, logs);
      }
      const logs: Logs = Object.fromEntries([...totals].map(([name, total]) => [name, total / trainCount]));
      if (xVal && yVal) Object.assign(logs, await validationLogs(tf, model, xVal, yVal, args.batchSize));
      await history.onEpochEnd(epoch, logs);
      await callbacks.onEpochEnd?.(epoch, logs);
    }
    await callbacks.onTrainEnd?.({});
  } finally {
    for (const t of [weights, xTrain, xVal, yTrain, yVal, wTrain, wVal]) if (t && t !== x && t !== y) t.dispose();
  }
  return history;
}

/** The first `at` samples, and the rest (undefined when there are none). */
function splitAt(t: tfjs.Tensor, at: number): [tfjs.Tensor, tfjs.Tensor | undefined] {
  const count = t.shape[0]!;
  return at >= count ? [t, undefined] : [t.slice(0, at), t.slice(at, count - at)];
}

/**
 * The batch's loss, then each compiled metric's mean, in model.metricsNames'
 * order. With weights, the loss is Σ weight · loss over the batch's loss
 * values divided by their number: Keras's sum_over_batch_size.
 */
function batchScores(tf: typeof tfjs, model: tfjs.LayersModel, yTrue: tfjs.Tensor, yPred: tfjs.Tensor, weights?: tfjs.Tensor): tfjs.Tensor[] {
  const perSample = model.lossFunctions[0](yTrue, yPred);
  // One weight per sample, spread over the loss's other axes (an image's pixels, a sequence's steps).
  const weighted = weights ? perSample.mul(weights.reshape([-1, ...perSample.shape.slice(1).map(() => 1)])) : perSample;
  const penalties = model.calculateLosses();
  const loss = penalties.length > 0 ? weighted.mean().add(tf.addN(penalties)) : weighted.mean();
  return [loss, ...model.metricsTensors.map(([metric]) => metric(yTrue, yPred).mean())];
}

/** The loss and metrics on the held-out samples, unweighted, as `val_` logs. */
async function validationLogs(tf: typeof tfjs, model: tfjs.LayersModel, x: tfjs.Tensor, y: tfjs.Tensor, batchSize: number): Promise<Logs> {
  const count = x.shape[0]!;
  let totals = tf.zeros([model.metricsNames.length]);
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    const next = tf.tidy(() => {
      const prediction = model.apply(x.slice(start, size), { training: false }) as tfjs.Tensor;
      return totals.add(tf.stack(batchScores(tf, model, y.slice(start, size), prediction)).mul(size));
    });
    totals.dispose();
    totals = next;
  }
  const values = await totals.data();
  totals.dispose();
  return Object.fromEntries(model.metricsNames.map((name, i) => [`val_${name}`, values[i] / count]));
}
