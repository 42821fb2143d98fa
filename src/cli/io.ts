/** The CLI's small shell around the pure core: reading files, atomic writes, exit codes, printing diagnostics. */
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { escapeControl, renderDiagnostics } from '../diagnostics/render.js';

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

/** A spec file's text; devices and pipes are refused before anything is read (`mlc check /dev/zero` would never end). */
export function readTextFile(path: string): string {
  const fail = (why: string) => new UsageError(`mlc: cannot read ${escapeControl(path)}: ${why}`);
  let kind: string | undefined;
  try {
    const st = statSync(path);
    if (!st.isFile()) kind = st.isDirectory() ? 'is a directory' : st.isCharacterDevice() || st.isBlockDevice() ? 'it is a device, not a file' : 'it is not a regular file';
  } catch (e) {
    throw fail((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((e as Error).message));
  }
  if (kind) throw fail(kind);
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw fail(String((e as Error).message));
  }
}

/**
 * Writes `data` to `path` via a temporary file in the same folder and a
 * rename, so readers never see half a file. A symbolic link is written
 * through (its target is replaced, the link stays), and an existing file
 * keeps its mode and, where permitted, its owner.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  let target = path;
  let previous: import('node:fs').Stats | undefined;
  try {
    target = realpathSync(path);
    previous = statSync(target);
  } catch {
    // A new file (or a dangling link, which is replaced by a file).
  }
  mkdirSync(dirname(target), { recursive: true });
  const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, data, { mode: previous ? previous.mode & 0o7777 : 0o666 });
    if (previous) {
      chmodSync(tmp, previous.mode & 0o7777);
      try {
        chownSync(tmp, previous.uid, previous.gid);
      } catch {
        // Only the owner's own ids are allowed without privileges; the file stays the writer's.
      }
    }
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Checks that a file can be written at `path` before any work is done: it is
 * not a folder (or other non-file), and no file stands where a parent folder
 * must be made. Returns the problem in words, or undefined.
 */
export function whyNotWritableFile(path: string): string | undefined {
  try {
    const st = statSync(path);
    if (!st.isFile()) return `${path} is ${st.isDirectory() ? 'a folder' : 'not a regular file'}; give a file name`;
  } catch {
    // Not there yet: its nearest existing ancestor must be a folder.
  }
  let ancestor = dirname(path);
  for (;;) {
    try {
      if (!statSync(ancestor).isDirectory()) return `${ancestor} is a file, so ${path} cannot be written under it`;
      return undefined;
    } catch {
      const up = dirname(ancestor);
      if (up === ancestor) return undefined;
      ancestor = up;
    }
  }
}

export function printDiagnostics(ds: readonly Diagnostic[], file: string, source?: string): void {
  if (ds.length === 0) return;
  process.stderr.write(renderDiagnostics(ds, file, source, { color: process.stderr.isTTY === true }) + '\n');
}
