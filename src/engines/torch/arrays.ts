/**
 * The data as the emitted PyTorch program reads it (`--data arrays:DIR`):
 * each split as raw little-endian arrays, one per model input (float32 or
 * int32) and one per output (float32, encoded for its loss), in the
 * model's order, and each sample's weight in the loss when the data has
 * them (float32), described by meta.json. mlc's own
 * loaders read and check the data first, so both engines see the same samples.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { IR, ModelFacts } from '../../ir/types.js';
import { writeDirAtomic, type DirFiles } from '../../runtime/atomic-dir.js';
import { loadModelData, outputShapesOf, RuntimeUsageError, type DataExtras } from '../../runtime/session.js';
import type { HostArray, MultiSplit } from '../../runtime/split-tensors.js';

const bytes = (a: Float32Array | Int32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** The files of an arrays folder holding `splits` (absent splits are left out): one file per input and per output. */
export function arrayFiles(splits: Record<string, MultiSplit | undefined>): DirFiles {
  const files: DirFiles = {};
  const meta: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(splits)) {
    if (!s) continue;
    const describe = (side: 'x' | 'y') => (a: HostArray, i: number) => {
      const file = `${name}_${side}${i === 0 ? '' : i}.bin`;
      files[file] = bytes(a.values);
      return { file, shape: a.shape, dtype: a.dtype };
    };
    meta[name] = { count: s.count, xs: s.xs.map(describe('x')), ys: s.ys.map(describe('y')) };
    if (s.weights) {
      files[`${name}_weights.bin`] = bytes(s.weights);
      Object.assign(meta[name] as object, { weights: { file: `${name}_weights.bin`, shape: [s.count], dtype: 'float32' } });
    }
  }
  files['meta.json'] = JSON.stringify({ splits: meta });
  return files;
}

/** `mlc emit --target pytorch --data SPEC -o FILE.py`: the data (with `--sample-weight`, its weights) beside the program; returns the loader's description. */
export async function writeDataArrays(ir: IR, facts: ModelFacts, spec: string, dir: string, extra: DataExtras = {}): Promise<string> {
  if (existsSync(dir) && !existsSync(join(dir, 'meta.json'))) {
    throw new RuntimeUsageError(`mlc: ${dir} exists and is not a data folder mlc wrote; move it away or choose another -o name`);
  }
  const data = await loadModelData(ir, outputShapesOf(ir, facts), spec, extra);
  writeDirAtomic(dir, arrayFiles({ train: data.train, test: data.test }));
  return `${data.description} -> ${dir}`;
}
