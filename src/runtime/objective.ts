/**
 * What a model is trained and judged on: for each output its loss, weight
 * and the spec's metrics, as tensor functions. Scores are named as Keras
 * names them: `loss` and the metric names for one output; for several,
 * `loss` (the weighted total) and `NAME_loss`, `NAME_METRIC` per output.
 */
import { DiagnosticError, error } from '../diagnostics/diagnostic.js';
import { outputSpecs } from '../ir/outputs.js';
import type { IR } from '../ir/types.js';
import { resolveMetric, type Metric } from './metrics.js';
import type { LayersModel, Tensor, TF } from './tf.js';

/** {loss, <metric>: value, ...}, named as in the spec. */
export type Scores = Record<string, number>;

export interface OutputObjective {
  /** The output's name (prefixes its scores when the model has several outputs). */
  name: string;
  weight: number;
  /** Per-sample loss, as tfjs-layers computes it for the compiled loss. */
  loss: (yTrue: Tensor, yPred: Tensor) => Tensor;
  /** The spec's metrics by their names in the spec, in its order. */
  metrics: { name: string; metric: Metric }[];
}

export interface Objective {
  outputs: OutputObjective[];
  /**
   * The layers' weight penalties (`kernel_regularizer=l2(1e-4)`, ...) summed,
   * from the current weights; absent when no layer has one. Keras adds them
   * to the loss it minimises and reports (training and validation alike).
   */
  regularization?: () => Tensor;
}

/** A metric the engine cannot compute, as a diagnostic. */
export class UnknownMetricError extends DiagnosticError {
  constructor(message: string) {
    super(error('E-METRIC', message));
  }
}

/** The objective of a compiled model and its IR. */
export function objectiveOf(tf: TF, model: LayersModel, ir: IR): Objective {
  const specs = outputSpecs(ir);
  if (!specs) throw new Error('the spec has no compile section');
  const outputs = specs.map((spec, i) => {
    const lossFn = model.lossFunctions[i];
    if (!lossFn) throw new Error('the model is not compiled');
    const outShape = model.outputs[i].shape;
    const outputUnits = outShape[outShape.length - 1] ?? 1;
    const metrics = spec.metrics.map((name) => {
      const metric = resolveMetric(tf, name, spec.loss, outputUnits);
      if (!metric) throw new UnknownMetricError(`metric \`${name}\` cannot be computed on TensorFlow.js`);
      return { name, metric };
    });
    return { name: spec.name, weight: spec.weight, loss: (t: Tensor, p: Tensor) => lossFn(t, p), metrics };
  });
  // tfjs-layers registers each regularized weight's penalty with its layer; calculateLosses evaluates them all.
  const penalized = model.layers.some((l) => l.losses.length > 0);
  return penalized ? { outputs, regularization: () => tf.addN(model.calculateLosses()) } : { outputs };
}

/** Whether each output's own loss is reported beside the total (Keras does so for several outputs). */
function perOutput(objective: Objective): boolean {
  return objective.outputs.length > 1;
}

/**
 * A batch's sums as one vector: the (weighted) loss summed over its samples,
 * then per output its own loss sum (several outputs only) and each metric's
 * sums in order. Vectors of all batches add up to an epoch's totals, which
 * scoresFrom turns into scores.
 */
export function batchSums(tf: TF, objective: Objective, yTrue: Tensor[], yPred: Tensor[], lossPerSample?: Tensor[]): Tensor {
  return tf.tidy(() => {
    const count = yTrue[0].shape[0]!;
    const losses = objective.outputs.map((o, i) => (lossPerSample?.[i] ?? o.loss(yTrue[i], yPred[i])).mean().mul(count));
    const weighted = losses.reduce((sum, l, i) => sum.add(l.mul(objective.outputs[i].weight)));
    // The penalty is part of every sample's loss, as Keras reports it.
    const total = objective.regularization ? weighted.add(objective.regularization().mul(count)) : weighted;
    const parts: Tensor[] = [total];
    objective.outputs.forEach((o, i) => {
      if (perOutput(objective)) parts.push(losses[i]);
      parts.push(...o.metrics.flatMap((m) => m.metric.sums(yTrue[i], yPred[i])));
    });
    return tf.stack(parts);
  });
}

/** The length of batchSums' vector. */
export function sumsWidth(objective: Objective): number {
  return objective.outputs.reduce((width, o) => width + (perOutput(objective) ? 1 : 0) + o.metrics.reduce((w, m) => w + m.metric.width, 0), 1);
}

/** The scores from the totals of batchSums over `count` samples. */
export function scoresFrom(objective: Objective, totals: ArrayLike<number>, count: number): Scores {
  const scores: Scores = { loss: totals[0] / count };
  let at = 1;
  const several = perOutput(objective);
  for (const o of objective.outputs) {
    const prefix = several ? `${o.name}_` : '';
    if (several) scores[`${prefix}loss`] = totals[at++] / count;
    for (const { name, metric } of o.metrics) {
      scores[prefix + name] = metric.score(Array.from({ length: metric.width }, (_, k) => totals[at + k]), count);
      at += metric.width;
    }
  }
  return scores;
}

/** The training loss of one batch: the weighted sum of the outputs' mean losses, as Keras minimises it. */
export function totalLoss(objective: Objective, perSample: Tensor[]): Tensor {
  const total = perSample.map((l, i) => l.mean().mul(objective.outputs[i].weight)).reduce((sum, l) => sum.add(l));
  return objective.regularization ? total.add(objective.regularization()) : total;
}
