/**
 * The one error type of the data loaders. It carries what a compiler-style
 * message needs — the file, the record inside it, and how to fix it — so the
 * command line can print
 *
 *   data/iris.csv:18: error: row 17 has 4 columns; the header has 5
 *   help: ...
 *
 * It is structurally compatible with mlc's Diagnostic (see toDiagnostic) but
 * defined here, so the loaders stay free of other project code.
 */

/** A 1-based source position inside a text data file (CSV, JSON). */
export interface DataSpan {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface DataErrorDetails {
  /** The file (or folder) at fault, as the user named it. */
  file?: string;
  /** The record inside it: "row 17", "image 3 of train-images-idx3-ubyte", "cat.12.jpg". */
  record?: string;
  /** How to fix it. */
  help?: string;
  /** Where in a text file, when known. */
  span?: DataSpan;
}

export class DataError extends Error {
  readonly code = 'E-DATA';
  readonly file?: string;
  readonly record?: string;
  readonly help?: string;
  readonly span?: DataSpan;

  constructor(message: string, details: DataErrorDetails = {}) {
    super(message);
    this.name = 'DataError';
    this.file = details.file;
    this.record = details.record;
    this.help = details.help;
    this.span = details.span;
  }

  /** The same problem as a Diagnostic-shaped object, ready for mlc's renderer. */
  toDiagnostic(): { severity: 'error'; code: string; message: string; file?: string; span?: DataSpan; help?: string } {
    return { severity: 'error', code: this.code, message: this.message, file: this.file, span: this.span, help: this.help };
  }
}

/** A span covering one whole line, for errors about a line of a text file. */
export function lineSpan(line: number): DataSpan {
  return { line, column: 1, endLine: line, endColumn: 2 };
}

