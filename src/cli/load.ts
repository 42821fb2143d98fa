/**
 * Reading a spec (.model text or IR .json) through the language service's
 * one analysis, as the editor does, shared by the compiler commands.
 */
import type { ModelFile } from '../parser/ast.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { IR, ModelFacts } from '../ir/types.js';
import { analyse } from '../service/analysis.js';
import { printDiagnostics, readTextFile } from './io.js';

export { isIRFile } from '../service/analysis.js';

export interface LoadedSpec {
  file: string;
  source: string;
  ast?: ModelFile;
  ir?: IR;
  facts?: ModelFacts;
  diagnostics: Diagnostic[];
  ok: boolean;
}

/** Reads and compiles FILE, prints its diagnostics (errors and warnings), and says whether it is valid. */
export function loadSpec(file: string): LoadedSpec {
  const source = readTextFile(file);
  const { ast, ir, facts, diagnostics } = analyse(source, file);
  printDiagnostics(diagnostics, file, source);
  return { file, source, ast, ir, facts, diagnostics: [...diagnostics], ok: !hasErrors(diagnostics) && ir !== undefined };
}
