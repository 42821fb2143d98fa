/**
 * Prints config data as TypeScript source. The layer lowerings of the runtime
 * (src/layers, each kind's tfjs target) describe each layer as plain data; printing that same
 * data is what keeps `mlc train` and the emitted code in agreement.
 */
import type { TfConfigValue, TfLayerSpec } from '../targets/tfjs/index.js';

/** A serialized initializer (or regularizer) as the lowerings give it: {className: 'GlorotUniform', config: {seed: 1}}. */
type InitializerSpec = {
  className: string;
  config: { [key: string]: TfConfigValue };
};

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function isPlainObject(v: TfConfigValue): v is { [key: string]: TfConfigValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A nested layer (bidirectional's wrapped layer) is `{factory, config}` and nothing else. */
export function isLayerSpec(v: TfConfigValue): v is TfLayerSpec {
  return isPlainObject(v) && Object.keys(v).length === 2 && typeof v.factory === 'string' && isPlainObject(v.config);
}

function isInitializerSpec(v: TfConfigValue): v is InitializerSpec {
  return isPlainObject(v) && Object.keys(v).length === 2 && typeof v.className === 'string' && isPlainObject(v.config);
}

/** `GlorotUniform` -> `glorotUniform`: the factory under `tf.initializers`. */
function initializerFactory(className: string): string {
  return className.charAt(0).toLowerCase() + className.slice(1);
}

export function printKey(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

export function printNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  return String(n);
}

/**
 * The TypeScript text of a config value. Nested layers become
 * `tf.layers.FACTORY({...})` and initializers `tf.initializers.NAME({...})`:
 * tfjs accepts their serialized form at run time, but its typings want the
 * objects, and the emitted file must pass `tsc --strict`.
 */
export function printValue(v: TfConfigValue): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return printNumber(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(printValue).join(', ')}]`;
  if (isLayerSpec(v)) return printLayerCall(v);
  if (isInitializerSpec(v)) {
    // The one regularizer class tfjs has (its l1() and l2() make one too).
    if (v.className === 'L1L2') return `tf.regularizers.l1l2(${printObject(v.config)})`;
    const config = Object.keys(v.config).length === 0 ? '' : printObject(v.config);
    return `tf.initializers.${initializerFactory(v.className)}(${config})`;
  }
  return printObject(v);
}

export function printObject(o: { [key: string]: TfConfigValue }): string {
  const entries = Object.entries(o).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([k, value]) => `${printKey(k)}: ${printValue(value)}`).join(', ')} }`;
}

/** `tf.layers.conv2d({ filters: 32, ... })`. */
/** The variable the emitted buildModel() holds mlc's own layers in (see src/runtime/custom-layers). */
export const CUSTOM_LAYERS_VARIABLE = 'mlcLayers';

export function printLayerCall(spec: TfLayerSpec): string {
  if (!IDENTIFIER.test(spec.factory)) throw new Error(`not a tfjs layer factory name: ${spec.factory}`);
  return `${spec.custom ? CUSTOM_LAYERS_VARIABLE : 'tf.layers'}.${spec.factory}(${printObject(spec.config)})`;
}
