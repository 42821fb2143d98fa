/**
 * `mlc emit --tfjs wasm` copies src/runtime/kernels/*.ts verbatim into the
 * emitted project's mlc-kernels/, so those sources may import only what such
 * a project has: @tensorflow/* packages, Node's built-in modules and each
 * other. An import of the rest of mlc would break every emitted module. The
 * same holds for src/runtime/fit/, copied into mlc-fit/.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { runtimeSourceDir, sourceFileNames } from '../../src/codegen/support-files.js';

/** Every module specifier a file names: static and dynamic imports, re-exports, import types, require(). */
function importedSpecifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** Why a specifier cannot be copied along, or undefined when it can. */
function copyProblem(specifier: string, siblings: readonly string[]): string | undefined {
  if (specifier.startsWith('@tensorflow/') || isBuiltin(specifier)) return undefined;
  const sibling = /^\.\/([^/]+)\.js$/.exec(specifier);
  if (sibling === null) return 'only @tensorflow/* packages, node built-ins and ./sibling.js files are copied along';
  return siblings.includes(`${sibling[1]}.ts`) ? undefined : `no ${sibling[1]}.ts in the folder`;
}

describe('the kernel sources `mlc emit` copies', () => {
  const dir = runtimeSourceDir('kernels');
  const files = sourceFileNames(dir);

  it('include the entry point the emitted module imports', () => {
    assert.ok(files.includes('index.ts'));
    assert.match(readFileSync(`${dir}index.ts`, 'utf8'), /export function registerWasmKernels\(\)/);
  });

  it('import nothing but @tensorflow/* packages, node built-ins and each other', () => {
    const problems = files.flatMap((file) =>
      importedSpecifiers(readFileSync(`${dir}${file}`, 'utf8')).flatMap((specifier) => {
        const problem = copyProblem(specifier, files);
        return problem === undefined ? [] : [`src/runtime/kernels/${file} imports '${specifier}': ${problem}`];
      }),
    );
    assert.deepEqual(problems, []);
  });

  it('and the fit helpers, copied into mlc-fit/ alike, import nothing else either', () => {
    const fitDir = runtimeSourceDir('fit');
    const fitFiles = sourceFileNames(fitDir);
    const problems = fitFiles.flatMap((file) =>
      importedSpecifiers(readFileSync(`${fitDir}${file}`, 'utf8')).flatMap((specifier) => {
        const problem = copyProblem(specifier, fitFiles);
        return problem === undefined ? [] : [`src/runtime/fit/${file} imports '${specifier}': ${problem}`];
      }),
    );
    assert.ok(fitFiles.includes('weighted-fit.ts'));
    assert.deepEqual(problems, []);
  });

  it('would catch an import of the rest of mlc, or of a missing sibling', () => {
    const text = [
      "import { x } from '../backend/types.js';",
      "export { y } from './gone.js';",
      "const z = await import('chevrotain');",
      "import type { T } from './geometry.js';",
      "import os from 'node:os';",
      "import '@tensorflow/tfjs-backend-wasm';",
    ].join('\n');
    const flagged = importedSpecifiers(text).filter((s) => copyProblem(s, ['geometry.ts']) !== undefined);
    assert.deepEqual(flagged, ['../backend/types.js', './gone.js', 'chevrotain']);
  });
});
