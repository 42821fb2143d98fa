/** Runtime failures the user can fix, printed as compiler-style errors; anything else is rethrown. */
import { DiagnosticError } from '../diagnostics/diagnostic.js';
import { escapeControl, renderDiagnostic, renderDiagnostics } from '../diagnostics/render.js';
import { BackendSelectionError } from './backend/select.js';
import { DataError } from './data/index.js';
import { RuntimeUsageError } from './session.js';

/** Exit status for an invalid spec or data, as for `mlc check`. */
const EXIT_INVALID = 1;

/** Prints `e` for a person and returns the exit status; rethrows errors that are bugs. */
export function reportRuntimeError(e: unknown, file: string, source?: string): number {
  const color = process.stderr.isTTY === true;
  const print = (s: string) => process.stderr.write(s + '\n');
  // Every problem of the model, its data or its save is a Diagnostic (the data loaders, shipped on their own
  // in emitted code, carry theirs in DataError); usage and backend errors are one line each.
  if (e instanceof DiagnosticError) {
    print(renderDiagnostics(e.diagnostics, e.file ?? file, e.file === undefined ? source : undefined, { color }));
  } else if (e instanceof DataError) {
    print(renderDiagnostic({ ...e.toDiagnostic(), file: e.file ?? file }, file, undefined, { color }) +
      (e.record ? `\nnote: in ${e.record}` : ''));
  } else if (e instanceof RuntimeUsageError) {
    print(escapeControl(e.message));
  } else if (e instanceof BackendSelectionError) {
    print(escapeControl(e.message));
    return e.exitCode;
  } else {
    throw e;
  }
  return EXIT_INVALID;
}
