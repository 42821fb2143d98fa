/** Reading data files, with errors that name the file instead of a stack trace. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DataError } from './errors.js';

function why(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  if (code === 'ENOTDIR') return 'it is a file, not a folder';
  if (code === 'EACCES') return 'permission denied';
  return (e as Error).message;
}

export function readBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new DataError(`cannot read the file: ${why(e)}`, { file, help: 'check the path given to --data' });
  }
}

/** The file's bytes, gunzipped when it is gzip (by content, so a mis-named file still works). */
export function readMaybeGzipped(file: string): Buffer {
  const bytes = readBytes(file);
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (e) {
    throw new DataError(`the file is not a complete gzip archive: ${(e as Error).message}`, {
      file,
      help: 'download it again, or unpack it with `gunzip` to see what is wrong',
    });
  }
}

export function readText(file: string): string {
  return readBytes(file).toString('utf8');
}

/** The entries of a folder, sorted by name (code-unit order, the same on every machine). */
export function listFolder(dir: string): string[] {
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
    return readdirSync(dir).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch (e) {
    throw new DataError(`cannot read the folder: ${why(e)}`, { file: dir, help: 'check the path given to --data' });
  }
}

export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
