/**
 * Keras 3's Normalization layer, which tfjs-layers lacks:
 * (x − mean) / max(√variance, ε) per feature along `axis` (or, with invert,
 * x · max(√variance, ε) + mean). Given mean and variance it holds no
 * weights; without them it has Keras's non-trainable mean, variance and
 * count, which adaptNormalization() sets from training data as Keras's
 * adapt() does: the mean and (population) variance of each feature over
 * every sample and every other axis. Saved under Keras's class name.
 */
import type * as tfjs from '@tensorflow/tfjs';

type TF = typeof import('@tensorflow/tfjs');
type Tensor = tfjs.Tensor;
type Shape = (number | null)[];

export interface NormalizationConfig {
  axis?: number;
  /** Given mean and variance: one number for every feature, or one per feature; null or absent: adapted. */
  mean?: number | number[] | null;
  variance?: number | number[] | null;
  invert?: boolean;
  name?: string;
  trainable?: boolean;
  inputShape?: Shape;
  batchInputShape?: Shape;
  dtype?: string;
}

/** Keras's backend epsilon: the least standard deviation the layer divides by. */
const EPSILON = 1e-7;

export const NORMALIZATION_CLASS_NAME = 'Normalization';

export interface NormalizationLayer extends tfjs.layers.Layer {
  /** Whether the mean and variance come from data (adaptNormalization) rather than the config. */
  readonly adapts: boolean;
  /** The feature axis, counted from the front (batch = 0). */
  readonly featureAxis: number;
}

export function defineNormalization(tf: TF): new (config: NormalizationConfig) => NormalizationLayer {
  class KerasNormalization extends tf.layers.Layer {
    static className = NORMALIZATION_CLASS_NAME;
    readonly axis: number;
    readonly givenMean: number | number[] | null;
    readonly givenVariance: number | number[] | null;
    readonly invert: boolean;
    featureAxis = -1;
    private mean?: tfjs.LayerVariable;
    private variance?: tfjs.LayerVariable;

    constructor(config: NormalizationConfig) {
      super(config as object);
      this.axis = config.axis ?? -1;
      this.givenMean = config.mean ?? null;
      this.givenVariance = config.variance ?? null;
      this.invert = config.invert ?? false;
      this.supportsMasking = true;
    }

    get adapts(): boolean {
      return this.givenMean === null;
    }

    override build(inputShape: Shape | Shape[]): void {
      const shape = inputShape as Shape;
      this.featureAxis = this.axis < 0 ? shape.length + this.axis : this.axis;
      const features = shape[this.featureAxis];
      if (this.adapts) {
        if (features === null || features === undefined) throw new Error(`${this.name}: Normalization needs a known size on axis ${this.axis}`);
        this.mean = this.addWeight('mean', [features], 'float32', tf.initializers.zeros(), undefined, false);
        this.variance = this.addWeight('variance', [features], 'float32', tf.initializers.ones(), undefined, false);
        // Keras keeps a count for compatibility with older saved models; adaptNormalization stores the values averaged per feature.
        this.addWeight('count', [], 'float32', tf.initializers.zeros(), undefined, false);
      }
      this.built = true;
    }

    /** Mean and standard deviation shaped to broadcast along the feature axis. */
    private statistics(rank: number): [Tensor, Tensor] {
      const shape = Array.from({ length: rank - this.featureAxis }, (_, i) => (i === 0 ? -1 : 1));
      const [mean, variance] = this.adapts
        ? [this.mean!.read(), this.variance!.read()]
        : [tf.tensor1d(([] as number[]).concat(this.givenMean!)), tf.tensor1d(([] as number[]).concat(this.givenVariance!))];
      return [tf.reshape(mean, shape), tf.reshape(tf.maximum(tf.sqrt(variance), EPSILON), shape)];
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const raw = Array.isArray(inputs) ? inputs[0]! : inputs;
        const x = raw.dtype === 'float32' ? raw : tf.cast(raw, 'float32');
        const [mean, std] = this.statistics(x.rank);
        return this.invert ? tf.add(tf.mul(x, std), mean) : tf.div(tf.sub(x, mean), std);
      });
    }

    override computeOutputShape(inputShape: Shape | Shape[]): Shape {
      return inputShape as Shape;
    }

    override getConfig(): tfjs.serialization.ConfigDict {
      return { ...super.getConfig(), axis: this.axis, mean: this.givenMean, variance: this.givenVariance, invert: this.invert };
    }
  }
  tf.serialization.registerClass(KerasNormalization as unknown as tfjs.serialization.SerializableConstructor<tfjs.serialization.Serializable>);
  return KerasNormalization as unknown as new (config: NormalizationConfig) => NormalizationLayer;
}

function isAdaptable(layer: tfjs.layers.Layer): layer is NormalizationLayer {
  return layer.getClassName() === NORMALIZATION_CLASS_NAME && (layer as NormalizationLayer).adapts === true;
}

/**
 * Keras's adapt() for every Normalization layer of `model` that was not given
 * its mean and variance, in the model's layer order (so one after another
 * sees the first already adapted): each is set to the mean and population
 * variance, per feature, of what reaches it when `xs` (the model's inputs,
 * N samples first) is fed through the model at inference, `batchSize`
 * samples at a time. Returns the names of the layers adapted.
 */
export function adaptNormalization(tf: TF, model: tfjs.LayersModel, xs: Tensor | Tensor[], batchSize = 256): string[] {
  const inputs = Array.isArray(xs) ? xs : [xs];
  const count = inputs[0]!.shape[0]!;
  const adapted: string[] = [];
  for (const layer of model.layers) {
    if (!isAdaptable(layer)) continue;
    const reaching = layer.input as tfjs.SymbolicTensor;
    const modelInput = model.inputs.indexOf(reaching);
    // A view of the model up to the layer; it shares the model's layers, so it is not disposed (that would dispose them).
    const upstream = modelInput >= 0 ? undefined : tf.model({ inputs: model.inputs, outputs: reaching });
    const rank = reaching.shape.length;
    const axis = layer.featureAxis >= 0 ? layer.featureAxis : rank - 1;
    const others = Array.from({ length: rank }, (_, i) => i).filter((i) => i !== axis);
    // Chan et al.'s pairwise update of mean and variance, batch by batch, in float64 on the host.
    let total = 0;
    let mean: Float64Array | undefined;
    let m2: Float64Array | undefined;
    for (let start = 0; start < count; start += batchSize) {
      const size = Math.min(batchSize, count - start);
      const [batchMean, batchVar, perFeature] = tf.tidy(() => {
        const batch = inputs.map((x) => tf.slice(x, start, size));
        const raw = upstream ? (upstream.predict(batch.length === 1 ? batch[0]! : batch) as Tensor) : batch[modelInput]!;
        const values = tf.cast(raw, 'float32');
        const moments = tf.moments(values, others);
        return [moments.mean.dataSync(), moments.variance.dataSync(), values.size / values.shape[axis]!] as const;
      });
      mean ??= new Float64Array(batchMean.length);
      m2 ??= new Float64Array(batchMean.length);
      const n = total + perFeature;
      for (let f = 0; f < mean.length; f++) {
        const delta = batchMean[f]! - mean[f]!;
        mean[f] = mean[f]! + (delta * perFeature) / n;
        m2[f] = m2[f]! + batchVar[f]! * perFeature + (delta * delta * total * perFeature) / n;
      }
      total = n;
    }
    if (!mean || !m2) continue;
    const variance = Float32Array.from(m2, (v) => v / total);
    const weights = [tf.tensor(Float32Array.from(mean)), tf.tensor(variance), tf.scalar(total)];
    layer.setWeights(weights);
    tf.dispose(weights);
    adapted.push(layer.name);
  }
  return adapted;
}
