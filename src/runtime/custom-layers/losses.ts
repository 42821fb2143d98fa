/**
 * Keras's crossentropy losses with `from_logits=true`, which tfjs-layers'
 * named losses lack: the model outputs raw scores and the loss applies the
 * softmax (or sigmoid) itself, in the numerically stable form. Each returns
 * one loss per sample, as tfjs-layers' own losses do (Keras averages the
 * binary crossentropy over the last axis).
 */
import type * as tfjs from '@tensorflow/tfjs';

type TF = typeof import('@tensorflow/tfjs');
export type LossFn = (yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => tfjs.Tensor;

/** The losses by the names the compile section lowers them to. */
export function customLosses(tf: TF): Record<string, LossFn> {
  const none = tf.Reduction.NONE;
  return {
    categoricalCrossentropyFromLogits: (t, p) => tf.losses.softmaxCrossEntropy(t, p, undefined, 0, none),
    sparseCategoricalCrossentropyFromLogits: (t, p) =>
      tf.tidy(() => {
        const classes = p.shape[p.shape.length - 1]!;
        const onehot = tf.oneHot(tf.cast(tf.reshape(t, [-1]), 'int32'), classes);
        return tf.losses.softmaxCrossEntropy(onehot, p, undefined, 0, none);
      }),
    binaryCrossentropyFromLogits: (t, p) => tf.tidy(() => tf.mean(tf.losses.sigmoidCrossEntropy(t, p, undefined, 0, none), -1)),
  };
}
