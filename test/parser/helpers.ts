/** Shared helpers for the parser tests (not a test file itself). */
import type { ModelFile } from '../../src/parser/ast.js';

/**
 * The AST with positions and layout left out: spans, and the raw text of lists
 * and calls (whose spacing fmt changes). What remains is the meaning.
 */
export function meaning(file: ModelFile): unknown {
  return JSON.parse(
    JSON.stringify(file, function (this: Record<string, unknown>, key, value) {
      if (key === 'span' || key === 'keySpan' || key === 'kindSpan' || key === 'nameSpan' || key === 'calleeSpan') return undefined;
      if (key === 'raw' && (this.type === 'list' || this.type === 'call')) return undefined;
      if (key === 'text' && typeof value === 'string') return value.trimEnd();
      return value;
    }),
  );
}
