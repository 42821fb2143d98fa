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
import { isSingleIO, loadModelData, outputShapesOf, RuntimeUsageError } from '../../runtime/session.js';
import type { MultiSplit } from '../../runtime/split-tensors.js';

const bytes = (a: Float32Array | Int32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** The program trains one-input, one-output models; say so in one line for a graph with more. */
export function requireSingleIO(ir: IR): void {
  if (!isSingleIO(ir)) {
    throw new RuntimeUsageError(`mlc: the PyTorch program trains models of one input and one output; this one has ${ir.inputs.length} inputs and ` +
      `${ir.outputs.length} outputs: train it with --engine tfjs (the default)`);
  }
}

/** The files of an arrays folder holding `splits` (absent splits are left out); one input and one output each. */
export function arrayFiles(splits: Record<string, MultiSplit | undefined>): DirFiles {
  const files: DirFiles = {};
  const meta: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(splits)) {
    if (!s) continue;
    const [x, y] = [s.xs[0], s.ys[0]];
    files[`${name}_x.bin`] = bytes(x.values);
    files[`${name}_y.bin`] = bytes(y.values);
    meta[name] = { x: `${name}_x.bin`, xShape: x.shape, xDtype: x.dtype, y: `${name}_y.bin`, yShape: y.shape };
  }
  files['meta.json'] = JSON.stringify({ splits: meta });
  return files;
}

/** `mlc emit --target pytorch --data SPEC -o FILE.py`: the data beside the program; returns the loader's description. */
export async function writeDataArrays(ir: IR, facts: ModelFacts, spec: string, dir: string): Promise<string> {
  if (existsSync(dir) && !existsSync(join(dir, 'meta.json'))) {
    throw new RuntimeUsageError(`mlc: ${dir} exists and is not a data folder mlc wrote; move it away or choose another -o name`);
  }
  requireSingleIO(ir);
  const data = await loadModelData(ir, outputShapesOf(ir, facts), spec);
  writeDirAtomic(dir, arrayFiles({ train: data.train, test: data.test }));
  return `${data.description} -> ${dir}`;
}
