/**
 * Keras's BatchNormalization and LayerNormalization over tensors of any rank.
 * tfjs-layers normalises ranks 2 to 4 only ("batchNormalization is not
 * implemented for array of rank 5 yet"), while an embedding of a 3-D input,
 * or a reshape, gives rank 5 or more. Normalising over one axis treats every
 * other axis alike (batch normalisation takes its statistics over all of
 * them, layer normalisation over the one axis at each position of the
 * others), so the input is folded to (before, axis) or (before, axis,
 * after), normalised over axis 1 by tfjs's own code (same weights, moving statistics and
 * config), and unfolded. Ranks up to 4 run tfjs's code unchanged; the
 * classes are saved under tfjs's class names.
 */
import type * as tfjs from '@tensorflow/tfjs';

type TF = typeof import('@tensorflow/tfjs');
type Tensor = tfjs.Tensor;
type LayerClass = new (args: object) => tfjs.layers.Layer & { axis: number | number[] };

/** The highest rank tfjs-layers normalises by itself. */
const TFJS_MAX_RANK = 4;

export function defineAnyRankNormalization(tf: TF): Record<'BatchNormalization' | 'LayerNormalization', new (config: Record<string, unknown>) => tfjs.layers.Layer> {
  // tfjs-layers exports the classes only through their factories: take each from an instance.
  const classOf = (layer: tfjs.layers.Layer) => Object.getPrototypeOf(layer).constructor as LayerClass;

  function anyRank(Base: LayerClass, className: string) {
    class AnyRank extends Base {
      static className = className;

      override call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor | Tensor[] {
        const x = Array.isArray(inputs) ? inputs[0]! : inputs;
        if (x.rank <= TFJS_MAX_RANK) return super.call(inputs, kwargs);
        const saved = this.axis;
        const axes = typeof saved === 'number' ? [saved] : saved;
        if (axes.length !== 1) return super.call(inputs, kwargs); // tfjs's own error: several axes cannot be folded into one
        const axis = axes[0]! < 0 ? axes[0]! + x.rank : axes[0]!;
        const size = (dims: number[]) => dims.reduce((p, d) => p * d, 1);
        // Over the last axis (batchnorm's only one: check refuses others, whose gradient tfjs gets wrong) the fold is (before, axis).
        const after = size(x.shape.slice(axis + 1));
        const folded = after === 1 ? [size(x.shape.slice(0, axis)), x.shape[axis]!] : [size(x.shape.slice(0, axis)), x.shape[axis]!, after];
        // The parent reads `axis` while it runs: for the folded tensor it is the middle one.
        this.axis = typeof saved === 'number' ? 1 : [1];
        try {
          return tf.tidy(() => tf.reshape(super.call(tf.reshape(x, folded), kwargs) as Tensor, x.shape));
        } finally {
          this.axis = saved;
        }
      }
    }
    tf.serialization.registerClass(AnyRank as unknown as tfjs.serialization.SerializableConstructor<tfjs.serialization.Serializable>);
    return AnyRank as unknown as new (config: Record<string, unknown>) => tfjs.layers.Layer;
  }

  return {
    BatchNormalization: anyRank(classOf(tf.layers.batchNormalization({})), 'BatchNormalization'),
    LayerNormalization: anyRank(classOf(tf.layers.layerNormalization({})), 'LayerNormalization'),
  };
}
