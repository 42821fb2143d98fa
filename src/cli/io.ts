/** The CLI's small shell around the pure core: reading files, atomic writes, exit codes, printing diagnostics. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { renderDiagnostics } from '../diagnostics/render.js';

export const EXIT_OK = 0;
/** The spec (or data) is invalid. */
export const EXIT_INVALID = 1;
/** Usage error: missing file, unknown flag. */
export const EXIT_USAGE = 2;

/** An error the CLI reports in one line and exits with `exitCode`, never a stack trace. */
export class UsageError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_USAGE) {
    super(message);
  }
}

export function readTextFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String((e as Error).message);
    throw new UsageError(`mlc: cannot read ${path}: ${why}`);
  }
}

/** Writes `data` to `path` via a temporary file in the same folder and a rename, so readers never see half a file. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export function printDiagnostics(ds: readonly Diagnostic[], file: string, source?: string): void {
  if (ds.length === 0) return;
  process.stderr.write(renderDiagnostics(ds, file, source, { color: process.stderr.isTTY === true }) + '\n');
}
