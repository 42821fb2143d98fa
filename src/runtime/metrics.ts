/**
 * The metrics the spec asks for. Each gives per-batch sums, which the
 * training and evaluation loops add up on the device and read once per
 * report (a metric never forces a synchronous read per batch), and the score
 * that the epoch's totals give: the mean of a per-sample value for most,
 * a ratio of counts for precision and recall, which Keras accumulates over
 * the epoch (the mean of per-batch precisions would be another number).
 */
import { canonicalName, METRICS } from '../ir/training.js';
import type { Tensor, TF } from './tf.js';

/** A per-sample metric: one value per sample (or per sample and position). */
type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

export interface Metric {
  /** How many sums it adds up. */
  width: number;
  /** `width` scalar tensors to add up over the batches. */
  sums: (yTrue: Tensor, yPred: Tensor) => Tensor[];
  /** The score from those totals over `count` samples. */
  score: (totals: readonly number[], count: number) => number;
}

/** The mean over samples of a per-sample metric, as Keras's MeanMetricWrapper reports it. */
function meanOf(tf: TF, fn: MetricFn): Metric {
  return {
    width: 1,
    sums: (yTrue, yPred) => [tf.tidy(() => fn(yTrue, yPred).mean().mul(yTrue.shape[0]!))],
    score: ([sum], count) => sum! / count,
  };
}

/**
 * Keras's Precision and Recall (threshold 0.5, every output unit counted as
 * a binary decision): true positives over predicted or actual positives,
 * counted over all batches; 0 when nothing was counted.
 */
function positiveRatio(tf: TF, of: 'predicted' | 'actual'): Metric {
  return {
    width: 2,
    sums: (yTrue, yPred) =>
      tf.tidy(() => {
        const predicted = yPred.greater(0.5);
        const actual = yTrue.equal(1);
        const truePositives = predicted.logicalAnd(actual).sum().toFloat();
        return [truePositives, (of === 'predicted' ? predicted : actual).sum().toFloat()];
      }),
    score: ([truePositives, positives]) => (positives! > 0 ? truePositives! / positives! : 0),
  };
}

function topK(tf: TF, k: number, sparse: boolean): MetricFn {
  return (yTrue, yPred) =>
    tf.tidy(() => {
      const label = sparse ? yTrue.reshape([-1]).toInt() : yTrue.argMax(-1);
      const { indices } = tf.topk(yPred, Math.min(k, yPred.shape[yPred.shape.length - 1]!));
      return indices.equal(label.expandDims(-1)).any(-1).toFloat();
    });
}

function sparseCrossentropy(tf: TF): MetricFn {
  return (yTrue, yPred) =>
    tf.tidy(() => {
      const classes = yPred.shape[yPred.shape.length - 1]!;
      const oneHot = tf.oneHot(yTrue.reshape([-1]).toInt(), classes).toFloat();
      return tf.metrics.categoricalCrossentropy(oneHot, yPred);
    });
}

/**
 * The metric for one name. `accuracy` means what it means in Keras: binary
 * accuracy for one output unit or binary crossentropy, sparse categorical
 * accuracy for sparse labels, categorical accuracy otherwise. Returns
 * undefined for an unknown name.
 */
export function resolveMetric(tf: TF, name: string, loss: string, outputUnits: number): Metric | undefined {
  const canonical = canonicalName(METRICS, name) ?? name;
  if (canonical === 'precision') return positiveRatio(tf, 'predicted');
  if (canonical === 'recall') return positiveRatio(tf, 'actual');
  const fn = perSampleMetric(tf, canonical, loss, outputUnits);
  return fn ? meanOf(tf, fn) : undefined;
}

function perSampleMetric(tf: TF, canonical: string, loss: string, outputUnits: number): MetricFn | undefined {
  switch (canonical) {
    case 'accuracy':
      if (loss === 'binary_crossentropy' || outputUnits === 1) return tf.metrics.binaryAccuracy;
      if (loss === 'sparse_categorical_crossentropy') return tf.metrics.sparseCategoricalAccuracy;
      return tf.metrics.categoricalAccuracy;
    case 'binary_accuracy':
      return tf.metrics.binaryAccuracy;
    case 'categorical_accuracy':
      return tf.metrics.categoricalAccuracy;
    case 'sparse_categorical_accuracy':
      return tf.metrics.sparseCategoricalAccuracy;
    case 'top_k_categorical_accuracy':
      return topK(tf, 5, false);
    case 'sparse_top_k_categorical_accuracy':
      return topK(tf, 5, true);
    case 'mse':
      return tf.metrics.meanSquaredError;
    case 'mae':
      return tf.metrics.meanAbsoluteError;
    case 'mape':
      return tf.metrics.meanAbsolutePercentageError;
    case 'msle':
      return (t, p) => tf.tidy(() => tf.log1p(tf.relu(p)).sub(tf.log1p(tf.relu(t))).square().mean(-1));
    case 'binary_crossentropy':
      return tf.metrics.binaryCrossentropy;
    case 'categorical_crossentropy':
      return tf.metrics.categoricalCrossentropy;
    case 'sparse_categorical_crossentropy':
      return sparseCrossentropy(tf);
    default:
      return undefined;
  }
}
