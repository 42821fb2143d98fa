/** The code generator: IR -> standalone TypeScript (`mlc emit --target ts`). */
export { emitTypeScript, type EmitOptions, type EmitResult } from './emit.js';
export { DEFAULT_TFJS_TARGET, TFJS_TARGETS, TFJS_PACKAGES, type TfjsTarget } from './header.js';
export type { EmittedFile } from './support-files.js';
