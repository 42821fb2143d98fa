/**
 * Writing a whole folder atomically: the files go to a temporary sibling
 * folder, which then replaces the target by renames. An interrupted or failed
 * write leaves the previous folder whole (at worst under its `.old` name for
 * the instant between the two renames, from which it is restored).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export type DirFiles = Record<string, string | Uint8Array>;

export function writeDirAtomic(dir: string, files: DirFiles): void {
  const target = resolve(dir);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const tag = randomBytes(6).toString('hex');
  const tmp = join(parent, `.${basename(target)}.tmp-${tag}`);
  const old = join(parent, `.${basename(target)}.old-${tag}`);
  try {
    mkdirSync(tmp);
    for (const [name, data] of Object.entries(files)) writeFileSync(join(tmp, name), data);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  const hadPrevious = existsSync(target);
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
