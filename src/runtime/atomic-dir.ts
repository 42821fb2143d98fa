/**
 * Writing a whole folder atomically: the files go to a temporary sibling
 * folder, which then replaces the target by two renames (target -> old,
 * temporary -> target). A failed write leaves the previous folder whole.
 *
 * A process killed between the two renames leaves the previous folder under
 * its old name, and one killed while writing leaves its temporary folder:
 * both names carry the writer's process id, so `recoverDir` (run before any
 * read or write of the folder) can tell a dead writer's leftovers from a live
 * one's, put the previous folder back, and remove what the dead writer left.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export type DirFiles = Record<string, string | Uint8Array>;

/** Says whether a folder may be replaced or removed: only folders this program wrote. */
export type OwnedDir = (dir: string) => boolean;

function siblingName(target: string, role: 'tmp' | 'old', pid: number, tag: string): string {
  return join(dirname(target), `.${basename(target)}.${role}-${pid}-${tag}`);
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface Leftover {
  path: string;
  role: 'tmp' | 'old';
  mtimeMs: number;
}

/** The temporary and previous folders of writers of `target` that are no longer running. */
function deadWritersLeftovers(target: string): Leftover[] {
  const parent = dirname(target);
  const pattern = new RegExp(`^\\.${escapeRegExp(basename(target))}\\.(tmp|old)-(\\d+)-[0-9a-f]+$`);
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const out: Leftover[] = [];
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m || isAlive(Number(m[2]))) continue;
    const path = join(parent, name);
    try {
      const st = statSync(path);
      if (st.isDirectory()) out.push({ path, role: m[1] as 'tmp' | 'old', mtimeMs: st.mtimeMs });
    } catch {
      // Gone meanwhile: nothing to recover.
    }
  }
  return out.sort((a, b) => b.mtimeMs - a.mtimeMs);
}

/**
 * Finishes what a killed writer of `dir` left: the previous folder comes back
 * when `dir` is missing, and the leftovers that `owned` recognises are removed.
 */
export function recoverDir(dir: string, owned: { previous: OwnedDir; partial: OwnedDir }): void {
  const target = resolve(dir);
  for (const left of deadWritersLeftovers(target)) {
    if (left.role === 'old') {
      if (!owned.previous(left.path)) continue;
      if (!existsSync(target)) renameSync(left.path, target);
      else rmSync(left.path, { recursive: true, force: true });
    } else if (owned.partial(left.path)) {
      rmSync(left.path, { recursive: true, force: true });
    }
  }
}

/**
 * Writes `files` as the folder `dir`. An existing `dir` is replaced only when
 * `replaceable(dir)` says so; otherwise the write throws before touching it.
 */
export function writeDirAtomic(dir: string, files: DirFiles, replaceable: OwnedDir = () => false): void {
  const target = resolve(dir);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const tag = randomBytes(6).toString('hex');
  const tmp = siblingName(target, 'tmp', process.pid, tag);
  const old = siblingName(target, 'old', process.pid, tag);
  const hadPrevious = existsSync(target);
  if (hadPrevious && !replaceable(target)) throw new Error(`${dir} exists and was not written by mlc; it is left as it is`);
  try {
    mkdirSync(tmp);
    for (const [name, data] of Object.entries(files)) writeFileSync(join(tmp, name), data);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  try {
    if (hadPrevious) renameSync(target, old);
    renameSync(tmp, target);
  } catch (e) {
    if (hadPrevious && !existsSync(target) && existsSync(old)) renameSync(old, target);
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  if (hadPrevious) rmSync(old, { recursive: true, force: true });
}
