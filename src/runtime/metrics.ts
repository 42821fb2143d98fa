/**
 * The metrics the spec asks for, as per-sample tensor functions. The training
 * and evaluation loops sum them on the device and read them once per report,
 * so a metric never forces a synchronous read per batch.
 */
import type { Tensor, TF } from './tf.js';

export type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** Keras's alias for each metric name (src/ir/training.ts lists the canonical ones). */
const ALIASES: Record<string, string> = {
  acc: 'accuracy',
  mean_squared_error: 'mse',
  mean_absolute_error: 'mae',
  mean_absolute_percentage_error: 'mape',
  mean_squared_logarithmic_error: 'msle',
};

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
 * The function for one metric name. `accuracy` means what it means in Keras:
 * binary accuracy for one output unit or binary crossentropy, sparse
 * categorical accuracy for sparse labels, categorical accuracy otherwise.
 * Returns undefined for an unknown name.
 */
export function resolveMetric(tf: TF, name: string, loss: string, outputUnits: number): MetricFn | undefined {
  const canonical = ALIASES[name] ?? name;
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
    case 'precision':
      return tf.metrics.precision;
    case 'recall':
      return tf.metrics.recall;
    default:
      return undefined;
  }
}
