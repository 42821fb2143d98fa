/** Reading a spec (.model text or IR .json) through the front-end pipeline, shared by the compiler commands. */
import type { ModelFile } from '../parser/ast.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { compileIRJson, compileSource } from '../ir/pipeline.js';
import type { IR, ModelFacts } from '../ir/types.js';
import { printDiagnostics, readTextFile } from './io.js';

export interface LoadedSpec {
  file: string;
  source: string;
  ast?: ModelFile;
  ir?: IR;
  facts?: ModelFacts;
  diagnostics: Diagnostic[];
  ok: boolean;
}

/** IR files are recognised by their extension; everything else is read as .model text. */
export function isIRFile(file: string): boolean {
  return file.toLowerCase().endsWith('.json');
}

/** Reads and compiles FILE, prints its diagnostics (errors and warnings), and says whether it is valid. */
export function loadSpec(file: string): LoadedSpec {
  const source = readTextFile(file);
  const result = isIRFile(file) ? compileIRJson(source, file) : compileSource(source, file);
  printDiagnostics(result.diagnostics, file, source);
  return { file, source, ...result, ok: !hasErrors(result.diagnostics) && result.ir !== undefined };
}
