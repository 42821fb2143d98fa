/**
 * The data as the emitted PyTorch program reads it (`--data arrays:DIR`):
 * each split as raw little-endian arrays, x (float32 or int32) and y
 * (float32, encoded for the loss), described by meta.json. mlc's own
 * loaders read and check the data first, so both engines see the same samples.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { IR, ModelFacts } from '../../ir/types.js';
import { writeDirAtomic, type DirFiles } from '../../runtime/atomic-dir.js';
import { loadData } from '../../runtime/data/index.js';
import type { Split } from '../../runtime/data/types.js';
import { dataRequestFor, outputUnits, RuntimeUsageError } from '../../runtime/session.js';

const bytes = (a: Float32Array | Int32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** The files of an arrays folder holding `splits` (absent splits are left out). */
export function arrayFiles(splits: Record<string, Split | undefined>): DirFiles {
  const files: DirFiles = {};
  const meta: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(splits)) {
    if (!s) continue;
    files[`${name}_x.bin`] = bytes(s.x);
    files[`${name}_y.bin`] = bytes(s.y);
    meta[name] = {
      x: `${name}_x.bin`, xShape: s.xShape, xDtype: s.x instanceof Int32Array ? 'int32' : 'float32',
      y: `${name}_y.bin`, yShape: s.yShape,
    };
  }
  files['meta.json'] = JSON.stringify({ splits: meta });
  return files;
}

/** `mlc emit --target pytorch --data SPEC -o FILE.py`: the data beside the program; returns the loader's description. */
export async function writeDataArrays(ir: IR, facts: ModelFacts, spec: string, dir: string): Promise<string> {
  if (existsSync(dir) && !existsSync(join(dir, 'meta.json'))) {
    throw new RuntimeUsageError(`mlc: ${dir} exists and is not a data folder mlc wrote; move it away or choose another -o name`);
  }
  const data = await loadData(dataRequestFor(ir, outputUnits(ir, facts), spec));
  writeDirAtomic(dir, arrayFiles({ train: data.train, test: data.test }));
  return `${data.description} -> ${dir}`;
}
