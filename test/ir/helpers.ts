/** Small helpers shared by the IR tests. */
import { parse } from '../../src/parser/parse.js';
import { lower } from '../../src/ir/lower.js';
import { compileSource } from '../../src/ir/pipeline.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { IR, IRNode } from '../../src/ir/types.js';

/** Lowers a spec, asserting the parser found nothing wrong (so failures are the lowering's). */
export function lowerText(source: string, name = 'test') {
  const parsed = parse(source);
  if (parsed.diagnostics.length > 0) throw new Error(`test spec does not parse: ${parsed.diagnostics.map((d) => d.message).join('; ')}`);
  return lower(parsed.file, name);
}

/** The IR of a spec that must lower without errors. */
export function irOf(source: string): IR {
  const r = lowerText(source);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !r.ir) throw new Error(`unexpected errors: ${errors.map((d) => d.message).join('; ')}`);
  return r.ir;
}

export function nodeOf(source: string, index = 0): IRNode {
  return irOf(source).nodes[index];
}

export function codes(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => d.code);
}

export function only(ds: readonly Diagnostic[], code: string): Diagnostic {
  const found = ds.filter((d) => d.code === code);
  if (found.length !== 1) throw new Error(`expected one ${code}, got: ${ds.map((d) => `${d.code} ${d.message}`).join(' | ') || 'none'}`);
  return found[0];
}

export function compile(source: string, file = 'test.model') {
  return compileSource(source, file);
}
