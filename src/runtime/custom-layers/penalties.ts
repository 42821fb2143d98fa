/**
 * Loss terms Keras adds that tfjs-layers 4.22 leaves out, attached to layers
 * once they are built (by the runtime after building or loading a model, by
 * the emitted buildModel() after the layer's line). Both end up in the
 * layer's `losses`, which tfjs's fit and mlc's training loop add to the loss.
 */
import type * as tfjs from '@tensorflow/tfjs';

type TF = typeof import('@tensorflow/tfjs');
type Layer = tfjs.layers.Layer;

interface Recurrent {
  cell?: Layer;
  forwardLayer?: Layer;
  backwardLayer?: Layer;
}

/**
 * A recurrent layer's weight penalties (`kernel_regularizer=l2(...)` on an
 * lstm) are registered with its cell, whose losses nothing reads: the layer
 * takes them over (Bidirectional's from both of its layers).
 */
export function adoptCellPenalties(layer: Layer): void {
  const r = layer as unknown as Recurrent;
  if (r.cell) layer.addLoss(r.cell.losses);
  for (const inner of [r.forwardLayer, r.backwardLayer]) if (inner) adoptCellPenalties(inner);
  if (r.forwardLayer && r.backwardLayer) layer.addLoss([...r.forwardLayer.losses, ...r.backwardLayer.losses]);
}

/**
 * Keras 3's activity_regularizer: each call of the layer adds l1·Σ|y| +
 * l2·Σy² of its output y (over the whole batch) to the loss. tfjs-layers
 * refuses a layer with an activityRegularizer, so the layer computes the
 * penalty as it runs, as Keras does, and keeps the latest one for the loss:
 * the model disposes its intermediate outputs before the loss is read.
 * Computed inside the training step's forward pass, it carries its gradient.
 */
export function penalizeActivity(tf: TF, layer: Layer, l1: number, l2: number): void {
  let latest: tfjs.Scalar | undefined;
  const call = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => {
    const out = call(inputs, kwargs);
    const y = Array.isArray(out) ? out[0] : out;
    latest?.dispose();
    latest = tf.keep(tf.tidy(() => tf.add(tf.mul(l1, tf.sum(tf.abs(y))), tf.mul(l2, tf.sum(tf.square(y)))) as tfjs.Scalar));
    return out;
  };
  layer.addLoss(() => (latest === undefined ? tf.scalar(0) : tf.clone(latest)));
}
