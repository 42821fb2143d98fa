/**
 * Keras 3's GRU, which TensorFlow.js 4.22 lacks: tfjs-layers runs only the
 * reset_after=False variant, while Keras 3 and TF2 build reset_after=True by
 * default (the cuDNN-compatible form). With z, r, h̃ the update gate, reset
 * gate and candidate, Keras's GRUCell.call computes
 *
 *   x_z, x_r, x_h = split(x · kernel + b_in, 3)        b_in  = bias[0]
 *   reset_after=True:
 *     h_z, h_r, h_h = split(h · recurrent_kernel + b_rec, 3)   b_rec = bias[1]
 *     z = σ(x_z + h_z),  r = σ(x_r + h_r),  h̃ = act(x_h + r ⊙ h_h)
 *   reset_after=False (bias of shape [3·units], b_rec absent):
 *     z = σ(x_z + h·U_z),  r = σ(x_r + h·U_r),  h̃ = act(x_h + (r ⊙ h)·U_h)
 *   h' = z ⊙ h + (1 − z) ⊙ h̃
 *
 * with Keras's weights: kernel [features, 3·units], recurrent_kernel
 * [units, 3·units], bias [2, 3·units] (reset_after) or [3·units], gates in the
 * order z, r, h. Dropout is Keras 3's: one mask per sequence on the inputs
 * and one on the state, drawn only while training.
 *
 * The classes are made from the TensorFlow.js namespace the caller passes in
 * (so this file imports no TensorFlow.js at run time) and registered with
 * its serialization, so saved models load and Bidirectional can copy them.
 * A config without `resetAfter` is Keras 3's default, true; tfjs's own saved
 * GRUs always say false.
 */
import type * as tfjs from '@tensorflow/tfjs';

type TF = typeof import('@tensorflow/tfjs');
type Tensor = tfjs.Tensor;
type Initializer = ReturnType<TF['initializers']['zeros']>;
type Regularizer = ReturnType<TF['regularizers']['l1l2']>;

/** A serialized initializer, as mlc's lowerings write seeded ones: {className: 'GlorotUniform', config: {seed: 1}}. */
export interface InitializerConfig {
  className: string;
  config: Record<string, unknown>;
}

export interface GRUConfig {
  units: number;
  /** tfjs activation identifiers ('tanh', 'sigmoid', 'hardSigmoid', ...). */
  activation?: string;
  recurrentActivation?: string;
  useBias?: boolean;
  resetAfter?: boolean;
  returnSequences?: boolean;
  returnState?: boolean;
  goBackwards?: boolean;
  dropout?: number;
  recurrentDropout?: number;
  /** Seeds the dropout masks (each call draws new ones). */
  seed?: number;
  kernelInitializer?: InitializerConfig | Initializer;
  recurrentInitializer?: InitializerConfig | Initializer;
  biasInitializer?: InitializerConfig | Initializer;
  /** Keras's L1L2 ({className: 'L1L2', config: {l1, l2}}, or the object). */
  kernelRegularizer?: InitializerConfig | Regularizer;
  recurrentRegularizer?: InitializerConfig | Regularizer;
  biasRegularizer?: InitializerConfig | Regularizer;
  name?: string;
  trainable?: boolean;
  inputShape?: (number | null)[];
  batchInputShape?: (number | null)[];
  dtype?: string;
}

/**
 * The class names the layer and its cell are saved under. The layer takes
 * Keras's name, GRU, replacing tfjs's registration: it runs both variants,
 * exactly as tfjs's GRU for reset_after=false, so a saved model's GRU of
 * either kind (mlc's, tfjs's, or a converted Keras 3 model's) loads.
 */
export const GRU_CLASS_NAME = 'GRU';
export const GRU_CELL_CLASS_NAME = 'MlcGRUCell';

function isInitializer(v: unknown): v is Initializer {
  return typeof (v as Initializer).apply === 'function' && typeof (v as Initializer).getClassName === 'function';
}

/** An initializer given as an object (emitted code) or in its serialized form (mlc's lowerings, saved models). */
export function makeInitializer(tf: TF, config: InitializerConfig | Initializer | undefined, fallback: () => Initializer): Initializer {
  if (config === undefined) return fallback();
  if (isInitializer(config)) return config;
  const name = config.className.charAt(0).toLowerCase() + config.className.slice(1);
  const factory = (tf.initializers as unknown as Record<string, (c: unknown) => Initializer>)[name];
  if (typeof factory !== 'function') throw new Error(`unknown initializer ${config.className}`);
  return factory(config.config);
}

function serializeInitializer(init: Initializer | Regularizer): InitializerConfig {
  return { className: init.getClassName(), config: init.getConfig() as Record<string, unknown> };
}

/** A regularizer given as an object (emitted code) or serialized (mlc's lowerings, saved models); mlc writes only L1L2. */
function makeRegularizer(tf: TF, config: InitializerConfig | Regularizer | undefined): Regularizer | undefined {
  if (config === undefined) return undefined;
  if (typeof (config as Regularizer).apply === 'function') return config as Regularizer;
  return tf.regularizers.l1l2((config as InitializerConfig).config as { l1?: number; l2?: number });
}

export interface GRUClasses {
  /** The recurrent layer: tfjs's RNN over the cell. */
  GRU: new (config: GRUConfig) => tfjs.layers.Layer;
  GRUCell: new (config: GRUConfig) => tfjs.layers.Layer;
}

/** Defines (once per TensorFlow.js namespace) and registers the classes. */
export function defineGRU(tf: TF): GRUClasses {
  const RNNCell = (tf.layers as unknown as { RNNCell: new (args: object) => tfjs.layers.Layer }).RNNCell;

  class MlcGRUCell extends RNNCell {
    static className = GRU_CELL_CLASS_NAME;
    readonly units: number;
    readonly stateSize: number;
    readonly resetAfter: boolean;
    readonly useBias: boolean;
    readonly dropout: number;
    readonly recurrentDropout: number;
    readonly seed: number | undefined;
    private readonly activationName: string;
    private readonly recurrentActivationName: string;
    private readonly activationLayer: tfjs.layers.Layer;
    private readonly recurrentActivationLayer: tfjs.layers.Layer;
    private readonly kernelInitializer: Initializer;
    private readonly recurrentInitializer: Initializer;
    private readonly biasInitializer: Initializer;
    private readonly kernelRegularizer: Regularizer | undefined;
    private readonly recurrentRegularizer: Regularizer | undefined;
    private readonly biasRegularizer: Regularizer | undefined;
    private kernel!: tfjs.LayerVariable;
    private recurrentKernel!: tfjs.LayerVariable;
    private bias: tfjs.LayerVariable | null = null;
    /** Keras 3's per-sequence masks; the layer clears them before each call. */
    dropoutMask: Tensor | null = null;
    recurrentDropoutMask: Tensor | null = null;
    private masksDrawn = 0;

    constructor(config: GRUConfig) {
      super(config);
      this.units = config.units;
      this.stateSize = config.units;
      this.resetAfter = config.resetAfter ?? true;
      this.useBias = config.useBias ?? true;
      this.dropout = Math.min(1, Math.max(0, config.dropout ?? 0));
      this.recurrentDropout = Math.min(1, Math.max(0, config.recurrentDropout ?? 0));
      this.seed = config.seed;
      this.activationName = config.activation ?? 'tanh';
      this.recurrentActivationName = config.recurrentActivation ?? 'sigmoid';
      this.activationLayer = tf.layers.activation({ activation: this.activationName as never });
      this.recurrentActivationLayer = tf.layers.activation({ activation: this.recurrentActivationName as never });
      this.kernelInitializer = makeInitializer(tf, config.kernelInitializer, () => tf.initializers.glorotUniform({}));
      this.recurrentInitializer = makeInitializer(tf, config.recurrentInitializer, () => tf.initializers.orthogonal({}));
      this.biasInitializer = makeInitializer(tf, config.biasInitializer, () => tf.initializers.zeros());
      this.kernelRegularizer = makeRegularizer(tf, config.kernelRegularizer);
      this.recurrentRegularizer = makeRegularizer(tf, config.recurrentRegularizer);
      this.biasRegularizer = makeRegularizer(tf, config.biasRegularizer);
    }

    override build(inputShape: tfjs.Shape | tfjs.Shape[]): void {
      const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfjs.Shape;
      const features = shape[shape.length - 1]!;
      const width = 3 * this.units;
      this.kernel = this.addWeight('kernel', [features, width], 'float32', this.kernelInitializer, this.kernelRegularizer);
      this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, width], 'float32', this.recurrentInitializer, this.recurrentRegularizer);
      if (this.useBias) this.bias = this.addWeight('bias', this.resetAfter ? [2, width] : [width], 'float32', this.biasInitializer, this.biasRegularizer);
      this.built = true;
    }

    private act(layer: tfjs.layers.Layer, x: Tensor): Tensor {
      return layer.apply(x) as Tensor;
    }

    private mask(like: Tensor, rate: number): Tensor {
      const seed = this.seed === undefined ? undefined : this.seed + this.masksDrawn++;
      return tf.keep(tf.dropout(tf.onesLike(like), rate, undefined, seed));
    }

    override call(inputs: Tensor | Tensor[], kwargs: { training?: boolean }): Tensor[] {
      return tf.tidy(() => {
        const [xIn, hIn] = inputs as Tensor[];
        let x = xIn;
        let h = hIn;
        const training = kwargs?.training === true;
        if (training && this.dropout > 0 && this.dropout < 1) {
          this.dropoutMask ??= this.mask(x, this.dropout);
          x = tf.mul(x, this.dropoutMask);
        }
        if (training && this.recurrentDropout > 0 && this.recurrentDropout < 1) {
          this.recurrentDropoutMask ??= this.mask(h, this.recurrentDropout);
          h = tf.mul(h, this.recurrentDropoutMask);
        }
        const u = this.units;
        const bias = this.bias?.read();
        const [inputBias, recurrentBias] = bias === undefined ? [undefined, undefined] : this.resetAfter ? tf.unstack(bias) : [bias, undefined];
        let matrixX = tf.matMul(x, this.kernel.read());
        if (inputBias !== undefined) matrixX = tf.add(matrixX, inputBias);
        const [xZ, xR, xH] = tf.split(matrixX, 3, -1);
        const recurrentKernel = this.recurrentKernel.read();
        let z: Tensor;
        let candidate: Tensor;
        if (this.resetAfter) {
          let inner = tf.matMul(h, recurrentKernel);
          if (recurrentBias !== undefined) inner = tf.add(inner, recurrentBias);
          const [hZ, hR, hH] = tf.split(inner, 3, -1);
          z = this.act(this.recurrentActivationLayer, tf.add(xZ, hZ));
          const r = this.act(this.recurrentActivationLayer, tf.add(xR, hR));
          candidate = this.act(this.activationLayer, tf.add(xH, tf.mul(r, hH)));
        } else {
          const [kZR, kH] = tf.split(recurrentKernel, [2 * u, u], -1);
          const [hZ, hR] = tf.split(tf.matMul(h, kZR), 2, -1);
          z = this.act(this.recurrentActivationLayer, tf.add(xZ, hZ));
          const r = this.act(this.recurrentActivationLayer, tf.add(xR, hR));
          candidate = this.act(this.activationLayer, tf.add(xH, tf.matMul(tf.mul(r, hIn), kH)));
        }
        // The state carried on is computed from the undropped previous state, as in Keras.
        const next = tf.add(tf.mul(z, hIn), tf.mul(tf.sub(1, z), candidate));
        return [next, next];
      });
    }

    override getConfig(): tfjs.serialization.ConfigDict {
      return {
        ...super.getConfig(),
        units: this.units,
        activation: this.activationName,
        recurrentActivation: this.recurrentActivationName,
        useBias: this.useBias,
        resetAfter: this.resetAfter,
        dropout: this.dropout,
        recurrentDropout: this.recurrentDropout,
        ...(this.seed === undefined ? {} : { seed: this.seed }),
        kernelInitializer: serializeInitializer(this.kernelInitializer) as unknown as tfjs.serialization.ConfigDict,
        recurrentInitializer: serializeInitializer(this.recurrentInitializer) as unknown as tfjs.serialization.ConfigDict,
        biasInitializer: serializeInitializer(this.biasInitializer) as unknown as tfjs.serialization.ConfigDict,
        ...Object.fromEntries(
          ([['kernelRegularizer', this.kernelRegularizer], ['recurrentRegularizer', this.recurrentRegularizer], ['biasRegularizer', this.biasRegularizer]] as const)
            .flatMap(([key, r]) => (r ? [[key, serializeInitializer(r) as unknown as tfjs.serialization.ConfigDict]] : [])),
        ),
      };
    }
  }

  class MlcGRU extends tf.RNN {
    static override className = GRU_CLASS_NAME;
    constructor(config: GRUConfig) {
      super({ ...(config as object), cell: new MlcGRUCell(config) } as ConstructorParameters<TF['RNN']>[0]);
    }

    override call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor | Tensor[] {
      // Fresh dropout masks for every batch, as Keras draws them per call.
      const cell = this.cell as unknown as MlcGRUCell;
      cell.dropoutMask?.dispose();
      cell.recurrentDropoutMask?.dispose();
      cell.dropoutMask = null;
      cell.recurrentDropoutMask = null;
      return super.call(inputs, kwargs);
    }

    /** The cell's arguments are the layer's, so the layer is rebuilt from its own config. */
    static override fromConfig<T extends tfjs.serialization.Serializable>(cls: tfjs.serialization.SerializableConstructor<T>, config: tfjs.serialization.ConfigDict): T {
      const { cell: _cell, ...rest } = config;
      return new cls(rest);
    }
  }

  tf.serialization.registerClass(MlcGRUCell as unknown as tfjs.serialization.SerializableConstructor<tfjs.serialization.Serializable>);
  tf.serialization.registerClass(MlcGRU as unknown as tfjs.serialization.SerializableConstructor<tfjs.serialization.Serializable>);
  return { GRU: MlcGRU as unknown as GRUClasses['GRU'], GRUCell: MlcGRUCell as unknown as GRUClasses['GRUCell'] };
}
