/**
 * The weights of a saved model (saved-model.ts) read without TensorFlow.js:
 * model.json's weights manifest names each tensor (`dense/kernel`,
 * `bidirectional/forward_lstm/bias`, ...) and gives its shape and dtype;
 * weights.bin holds them back to back in that order, then the optimizer's state.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SavedModelError } from './saved-model.js';

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  group?: string;
}

export interface SavedWeight {
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

/** The model's weights by their saved name; the optimizer's state is left out. */
export function decodeWeights(specs: readonly WeightSpec[], bytes: Uint8Array, where = 'weights.bin'): Map<string, SavedWeight> {
  const out = new Map<string, SavedWeight>();
  let at = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32' && spec.dtype !== 'int32') {
      throw new SavedModelError(`${where}: weight ${spec.name} has dtype ${spec.dtype}; mlc saves float32 and int32 weights only`);
    }
    const count = spec.shape.reduce((p, d) => p * d, 1);
    const end = at + count * 4;
    if (end > bytes.byteLength) {
      throw new SavedModelError(`${where} is shorter than model.json says (${bytes.byteLength} bytes, weight ${spec.name} ends at ${end}); save the model again`);
    }
    const copy = bytes.slice(at, end);
    const data = spec.dtype === 'float32' ? new Float32Array(copy.buffer) : new Int32Array(copy.buffer);
    if (spec.group !== 'optimizer') out.set(spec.name, { shape: spec.shape, dtype: spec.dtype, data });
    at = end;
  }
  return out;
}

/** Reads model.json's manifest and weights.bin of a folder written by `mlc train -o DIR`. */
export function readSavedWeights(dir: string): Map<string, SavedWeight> {
  let manifest: { weightsManifest?: { weights?: WeightSpec[] }[] };
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new SavedModelError(missing
      ? `${dir} is not a saved model: model.json is missing (save one with \`mlc train SPEC -o ${dir}\`)`
      : `${join(dir, 'model.json')} is not valid JSON: ${(e as Error).message}`);
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(dir, 'weights.bin'));
  } catch {
    throw new SavedModelError(`${dir} is not a saved model: weights.bin is missing`);
  }
  const specs = (manifest.weightsManifest ?? []).flatMap((m) => m.weights ?? []);
  return decodeWeights(specs, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), join(dir, 'weights.bin'));
}
