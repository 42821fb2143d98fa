/** Shared helpers for the parser tests (not a test file itself). */
import type { ModelFile } from '../../src/parser/ast.js';

/**
 * The AST with positions and layout left out: spans, and the raw text of lists,
 * maps, calls and arithmetic (whose spacing fmt changes). What remains is the meaning.
 */
export function meaning(file: ModelFile): unknown {
  return JSON.parse(
    JSON.stringify(file, function (this: Record<string, unknown>, key, value) {
      if (key === 'span' || key.endsWith('Span')) return undefined;
      if (key === 'raw' && (this.type === 'list' || this.type === 'call' || this.type === 'map' || this.type === 'expr')) return undefined;
      if (key === 'text' && typeof value === 'string') return value.trimEnd();
      return value;
    }),
  );
}
