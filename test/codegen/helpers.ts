/** Shared by the codegen tests: compiling specs, emitting them into a scratch folder inside the repo, running tsc. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitTypeScript, type EmitOptions, type EmitResult } from '../../src/codegen/index.js';
import { compileSource } from '../../src/ir/pipeline.js';
import type { IR, ModelFacts } from '../../src/ir/types.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The repo's specs and the small specs of this folder, which together use every layer kind. */
export function allSpecFiles(): string[] {
  const inDir = (dir: string) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.model')).sort().map((f) => join(dir, f));
  return [...inDir('specs'), ...inDir('test/codegen/specs')];
}

export interface CompiledSpec {
  file: string;
  source: string;
  ir: IR;
  facts: ModelFacts;
}

export function compileSpec(file: string): CompiledSpec {
  const source = readFileSync(join(ROOT, file), 'utf8');
  const result = compileSource(source, file);
  if (!result.ir || !result.facts) throw new Error(`${file} does not compile: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  return { file, source, ir: result.ir, facts: result.facts };
}

export function emitSpec(spec: CompiledSpec, opts: EmitOptions = {}): Promise<EmitResult> {
  return emitTypeScript(spec.ir, spec.facts, { source: spec.source, specFile: spec.file, ...opts });
}

/**
 * A scratch folder inside the repo, so that `@tensorflow/tfjs` and the
 * loaders' packages resolve from its node_modules (and its package.json makes
 * the files ES modules); `removeScratch` deletes it.
 */
export function makeScratch(): string {
  return mkdtempSync(join(ROOT, '.tmp-emit-test-'));
}

export function removeScratch(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Writes the module as DIR/NAME.ts and its helpers next to it; returns the module's path. */
export function writeEmitted(dir: string, name: string, result: EmitResult): string {
  if (result.code === undefined) throw new Error(`nothing emitted for ${name}`);
  for (const helper of result.helpers) {
    const path = join(dir, ...helper.path.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, helper.text);
  }
  const path = join(dir, `${name}.ts`);
  writeFileSync(path, result.code);
  return path;
}

export function moduleNameOf(file: string): string {
  return basename(file).replace(/\.model$/, '');
}

/** tsc as the task asks: strict, nodenext, es2022; all files in one run. */
export function typecheck(files: string[]): { status: number | null; output: string } {
  const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
  const args = ['--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--noEmit', ...files];
  const r = spawnSync(tsc, args, { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** Runs the mlc command line from source. */
export function runMlc(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
