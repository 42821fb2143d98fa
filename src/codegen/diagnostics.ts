/** The emitter's own diagnostics: things a valid spec asks for that the emitted code cannot do. */
import { error, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';

export function unsupported(message: string, span: Span | undefined, help: string): Diagnostic {
  return error('E-EMIT-UNSUPPORTED', message, span, help);
}
