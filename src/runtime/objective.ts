/** What a model is trained and judged on: its loss and the spec's metrics, as tensor functions. */
import type { IR } from '../ir/types.js';
import { resolveMetric, type MetricFn } from './metrics.js';
import type { LayersModel, Tensor, TF } from './tf.js';

export interface Objective {
  /** Per-sample loss, as tfjs-layers computes it for the compiled loss. */
  loss: (yTrue: Tensor, yPred: Tensor) => Tensor;
  /** The spec's metrics by their names in the spec, in its order. */
  metrics: { name: string; fn: MetricFn }[];
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
    const fn = resolveMetric(tf, name, compile.loss, outputUnits);
    if (!fn) throw new UnknownMetricError(`metric \`${name}\` cannot be computed on TensorFlow.js`);
    return { name, fn };
  });
  return { loss: (t, p) => lossFn(t, p), metrics };
}

/** Sums of loss and metrics over a batch, as scalar tensors [loss, ...metrics] (batch-size weighted). */
export function batchSums(tf: TF, objective: Objective, yTrue: Tensor, yPred: Tensor, lossPerSample?: Tensor): Tensor {
  return tf.tidy(() => {
    const n = yTrue.shape[0]!;
    const loss = (lossPerSample ?? objective.loss(yTrue, yPred)).mean().mul(n);
    const metrics = objective.metrics.map((m) => m.fn(yTrue, yPred).mean().mul(n));
    return tf.stack([loss, ...metrics]);
  });
}
