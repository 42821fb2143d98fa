/**
 * mlc's own TensorFlow.js layers, for what tfjs-layers 4.22 lacks (Keras 3's
 * reset_after GRU, ReLU's negative_slope and threshold, ELU's alpha). mlcLayers(tf) defines and registers them once and returns
 * their factories, named as lowerings name them in `TfLayerSpec.factory`.
 * `mlc emit` copies this folder next to emitted modules, so it imports no
 * TensorFlow.js at run time: the caller passes its namespace in.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { defineGRU, type GRUConfig } from './gru.js';
import { defineRelu, type ReluConfig } from './relu.js';
import { defineElu, type EluConfig } from './elu.js';

export { GRU_CELL_CLASS_NAME, GRU_CLASS_NAME, type GRUConfig, type InitializerConfig } from './gru.js';
export { RELU_CLASS_NAME, type ReluConfig } from './relu.js';
export { ELU_CLASS_NAME, type EluConfig } from './elu.js';

export interface MlcLayerFactories {
  /** Keras 3's GRU (reset_after=true by default). */
  mlcGru: (config: GRUConfig) => tfjs.layers.Layer;
  /** Keras's ReLU with negative_slope and threshold. */
  mlcRelu: (config: ReluConfig) => tfjs.layers.Layer;
  /** Keras's ELU with any alpha. */
  mlcElu: (config: EluConfig) => tfjs.layers.Layer;
}

/** The factory names, for code that only needs to know whether a name is one of these. */
export const MLC_LAYER_FACTORIES: readonly (keyof MlcLayerFactories)[] = ['mlcGru', 'mlcRelu', 'mlcElu'];

const defined = new WeakMap<object, MlcLayerFactories>();

/** Defines and registers mlc's layers with this TensorFlow.js namespace (once), returning their factories. */
export function mlcLayers(tf: typeof import('@tensorflow/tfjs')): MlcLayerFactories {
  let factories = defined.get(tf);
  if (factories === undefined) {
    const { GRU } = defineGRU(tf);
    const ReLU = defineRelu(tf);
    const ELU = defineElu(tf);
    factories = { mlcGru: (config) => new GRU(config), mlcRelu: (config) => new ReLU(config), mlcElu: (config) => new ELU(config) };
    defined.set(tf, factories);
  }
  return factories;
}
