/** Small fixtures for the data loader tests: temp folders, IDX files, requests, expected errors. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after } from 'node:test';
import { DataError, type DataRequest } from '../../src/runtime/data/index.js';

/** A fresh folder, removed when the test file finishes. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlc-data-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** An IDX file of unsigned bytes: magic 0x000008NN, big-endian sizes, then the bytes. */
export function idxBytes(dims: number[], data: ArrayLike<number>, magic = 0x800 | dims.length): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(Uint8Array.from(data))]);
}

export function writeIdx(path: string, dims: number[], data: ArrayLike<number>, opts: { gzip?: boolean; magic?: number } = {}): void {
  const bytes = idxBytes(dims, data, opts.magic);
  writeFileSync(path, opts.gzip ? gzipSync(bytes) : bytes);
}

export function request(spec: string, overrides: Partial<DataRequest> = {}): DataRequest {
  return { spec, inputShape: [784], inputDtype: 'float32', outputUnits: 10, labelMode: 'sparse', ...overrides };
}

/**
 * Asserts that `run` rejects with a DataError whose message matches, naming
 * `file` (and `record` when given), with a help line.
 */
export async function assertDataError(
  run: () => Promise<unknown>,
  expected: { message: RegExp; file?: string | RegExp; record?: string; help?: RegExp },
): Promise<DataError> {
  let caught: unknown;
  try {
    await run();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof DataError, `expected a DataError, got ${String(caught)}`);
  assert.match(caught.message, expected.message);
  if (expected.file instanceof RegExp) assert.match(caught.file ?? '', expected.file);
  else if (expected.file !== undefined) assert.equal(caught.file, expected.file);
  if (expected.record !== undefined) assert.equal(caught.record, expected.record);
  assert.ok(caught.help && caught.help.length > 0, 'a help line is present');
  if (expected.help) assert.match(caught.help, expected.help);
  return caught;
}
