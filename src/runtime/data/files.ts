/** Reading data files, with errors that name the file instead of a stack trace. */
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { DataError } from './errors.js';

/** Why a path could not be read as a file, in a few words ("it is a device, not a file"). */
export class UnreadableFileError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

function kindOf(st: import('node:fs').Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isFIFO()) return 'a pipe';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * The bytes of a regular file (through symbolic links). Devices, pipes and
 * sockets are refused before anything is read (\`/dev/zero\` never ends), and
 * the read stops at the size the file had when opened.
 */
export function readRegularFile(file: string): Buffer {
  let fd: number;
  try {
    // Non-blocking, so opening a named pipe with no writer returns at once instead of waiting.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new UnreadableFileError(why(e));
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UnreadableFileError(`it is ${kindOf(st)}, not a file`);
    const out = Buffer.allocUnsafe(st.size);
    let at = 0;
    while (at < out.length) {
      const n = readSync(fd, out, at, out.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return at === out.length ? out : out.subarray(0, at);
  } catch (e) {
    if (e instanceof UnreadableFileError) throw e;
    throw new UnreadableFileError(why(e));
  } finally {
    closeSync(fd);
  }
}

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
    return readRegularFile(file);
  } catch (e) {
    throw new DataError(`cannot read the file: ${(e as UnreadableFileError).reason}`, { file, help: 'check the path given to --data' });
  }
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Deflate never expands data more than about 1032 times, so a gzip file cannot hold more than this. */
const MAX_DEFLATE_RATIO = 1032;

/**
 * The file's bytes, gunzipped when it is gzip (by content, so a mis-named
 * file still works). `expectedSize(head)` reads the size a format's header
 * promises from the first `headerBytes` bytes; decompression stops there, so
 * a small archive cannot expand without bound.
 */
export function readMaybeGzipped(file: string, header?: { bytes: number; expectedSize: (head: Buffer) => number }): Buffer {
  const bytes = readBytes(file);
  if (!isGzip(bytes)) return bytes;
  const broken = (e: unknown) =>
    new DataError(`the file is not a complete gzip archive: ${(e as Error).message}`, {
      file,
      help: 'download it again, or unpack it with `gunzip` to see what is wrong',
    });
  let limit = bytes.length * MAX_DEFLATE_RATIO + 64;
  if (header) {
    let head: Buffer;
    try {
      // The start of the archive is enough for the header: flushed, not finished, so a partial input is fine.
      head = gunzipSync(bytes.subarray(0, Math.min(bytes.length, 4096)), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    } catch (e) {
      throw broken(e);
    }
    // A header too short or promising more than the archive can hold is reported by the format's own checks on what is read.
    limit = head.length < header.bytes ? header.bytes : Math.min(limit, header.expectedSize(head.subarray(0, header.bytes)));
  }
  try {
    return gunzipSync(bytes, { maxOutputLength: Math.max(1, limit) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DataError(`the file unpacks to more than the ${limit} bytes ${header ? 'its header promises' : 'a gzip archive of its size can hold'}`, {
        file,
        help: 'the archive holds something other than this data; download it again',
      });
    }
    throw broken(e);
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
