/**
 * mlc's own tfjs layers, for the Keras classes tfjs-layers 4.22 lacks. A
 * layer kind whose tfjs lowering says `custom: true` is built here instead of
 * by `tf.layers[factory]`. The classes are registered for serialization, so
 * saved models that use them load again.
 *
 * This folder imports nothing but TensorFlow.js types, because `mlc emit`
 * copies it next to the emitted module (./mlc-layers/), where it serves the
 * same purpose; it is handed the `tf` namespace the caller loaded.
 */
import type * as tfjs from '@tensorflow/tfjs';

type TF = typeof import('@tensorflow/tfjs');
type Shape = (number | null)[];
type LayerArgs = { name?: string };
export type CustomFactory = (config: LayerArgs) => tfjs.layers.Layer;

const made = new WeakMap<object, Record<string, CustomFactory>>();

/** The factories of mlc's own layers, built on `tf` (once per tfjs instance). */
export function customLayers(tf: TF): Record<string, CustomFactory> {
  let factories = made.get(tf);
  if (factories) return factories;

  /** Keras's Subtract: the first input minus the second, broadcast element-wise like Add. */
  class Subtract extends tf.layers.Layer {
    static className = 'Subtract';
    override computeOutputShape(inputShape: Shape | Shape[]): Shape {
      const [a, b] = inputShape as Shape[];
      const rank = Math.max(a.length, b.length);
      const out: Shape = [];
      for (let k = 1; k <= rank; k++) {
        const x = a[a.length - k];
        const y = b[b.length - k];
        out.unshift(x === undefined || x === 1 ? (y ?? x ?? null) : y === undefined || y === 1 || y === null ? x : x === null ? y : x);
      }
      return out;
    }
    override call(inputs: tfjs.Tensor | tfjs.Tensor[]): tfjs.Tensor {
      const [a, b] = inputs as tfjs.Tensor[];
      return tf.sub(a, b);
    }
  }
  tf.serialization.registerClass(Subtract);

  factories = { subtract: (config) => new Subtract(config) };
  made.set(tf, factories);
  return factories;
}
