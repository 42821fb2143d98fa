/** What a model is trained and judged on: its loss and the spec's metrics, as tensor functions. */
import type { IR } from '../ir/types.js';
import { resolveMetric, type Metric } from './metrics.js';
import type { LayersModel, Tensor, TF } from './tf.js';

/** {loss, <metric>: value, ...}, named as in the spec. */
export type Scores = Record<string, number>;

export interface Objective {
  /** Per-sample loss, as tfjs-layers computes it for the compiled loss. */
  loss: (yTrue: Tensor, yPred: Tensor) => Tensor;
  /** The spec's metrics by their names in the spec, in its order. */
  metrics: { name: string; metric: Metric }[];
}

export class UnknownMetricError extends Error {}

/** The objective of a compiled model and its IR. */
export function objectiveOf(tf: TF, model: LayersModel, ir: IR): Objective {
  const lossFn = model.lossFunctions[0];
  if (!lossFn) throw new Error('the model is not compiled');
  const compile = ir.compile!;
  const outShape = model.outputs[0].shape;
  const outputUnits = outShape[outShape.length - 1] ?? 1;
  const metrics = compile.metrics.map((name) => {
    const metric = resolveMetric(tf, name, compile.loss, outputUnits);
    if (!metric) throw new UnknownMetricError(`metric \`${name}\` cannot be computed on TensorFlow.js`);
    return { name, metric };
  });
  return { loss: (t, p) => lossFn(t, p), metrics };
}

/**
 * A batch's sums as one vector: the loss summed over its samples, then each
 * metric's sums in order. Vectors of all batches add up to an epoch's totals,
 * which scoresFrom turns into scores.
 */
export function batchSums(tf: TF, objective: Objective, yTrue: Tensor, yPred: Tensor, lossPerSample?: Tensor): Tensor {
  return tf.tidy(() => {
    const loss = (lossPerSample ?? objective.loss(yTrue, yPred)).mean().mul(yTrue.shape[0]!);
    return tf.stack([loss, ...objective.metrics.flatMap((m) => m.metric.sums(yTrue, yPred))]);
  });
}

/** The length of batchSums' vector. */
export function sumsWidth(objective: Objective): number {
  return objective.metrics.reduce((width, m) => width + m.metric.width, 1);
}

/** {loss, <metric>: score, ...} from the totals of batchSums over `count` samples. */
export function scoresFrom(objective: Objective, totals: ArrayLike<number>, count: number): Scores {
  const scores: Scores = { loss: totals[0] / count };
  let at = 1;
  for (const { name, metric } of objective.metrics) {
    scores[name] = metric.score(Array.from({ length: metric.width }, (_, k) => totals[at + k]), count);
    at += metric.width;
  }
  return scores;
}
