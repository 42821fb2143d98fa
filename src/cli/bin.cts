#!/usr/bin/env node
/**
 * The `mlc` command as installed (package.json `bin`).
 *
 * check, summary, ir and fmt run from ./mlc.cjs, a bundle of ./front-end.ts
 * made at build time (scripts/bundle-cli.mjs), compiled from the V8 code
 * cache recorded next to it: a short `mlc check` then spends its time
 * checking rather than loading and compiling some ninety modules. When V8
 * rejects the cache (another Node version) it compiles as usual. Every other
 * command, and any build without the bundle, runs ./main.js.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';

interface FrontEnd {
  handles(args: readonly string[]): boolean;
  run(): Promise<void>;
}

const BUNDLE = join(__dirname, 'mlc.cjs');

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function loadFrontEnd(): FrontEnd | undefined {
  const source = readOrUndefined(BUNDLE)?.toString('utf8');
  if (source === undefined) return undefined;
  // The CommonJS wrapper, on the bundle's first line so that stack traces keep its line numbers.
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapped, { filename: BUNDLE, cachedData: readOrUndefined(`${BUNDLE}.v8cache`) });
  // The build's hook for recording the cache: what this run compiled, on top of the cache it started from.
  const cacheOut = process.env.MLC_WRITE_CODE_CACHE;
  if (cacheOut) process.once('exit', () => writeFileSync(cacheOut, script.createCachedData()));
  const module = { exports: {} as FrontEnd };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, __dirname);
  return module.exports;
}

const frontEnd = loadFrontEnd();
if (frontEnd?.handles(process.argv.slice(2))) void frontEnd.run();
else void import('./main.js');
