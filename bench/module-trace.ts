/**
 * Records every module a Node process loads, to show that `mlc check` never
 * loads TensorFlow.js. A preload passed as `node --import data:...` registers
 * a resolve hook (ES modules, including CommonJS packages reached by import)
 * that appends each resolved URL to a file, and at exit adds the CommonJS
 * cache (packages reached by require). No file on disk is needed.
 */
import { readFileSync } from 'node:fs';

const HOOKS = `
import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(file, result.url + '\\n');
  return result;
}
`;

function preload(traceFile: string): string {
  return `
import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
const file = ${JSON.stringify(traceFile)};
register(${JSON.stringify('data:text/javascript,' + encodeURIComponent(HOOKS))}, { data: { file } });
const cache = createRequire(process.cwd() + '/').cache;
process.on('exit', () => appendFileSync(file, Object.keys(cache).map((p) => 'file://' + p).join('\\n') + '\\n'));
`;
}

/** Node arguments that make the process record its modules into `traceFile`. */
export function traceArgs(traceFile: string): string[] {
  return ['--import', 'data:text/javascript,' + encodeURIComponent(preload(traceFile))];
}

export interface ModuleTrace {
  /** Distinct module URLs that were loaded. */
  modules: string[];
  /** Those that belong to a @tensorflow package. */
  tensorflow: string[];
}

export function readTrace(traceFile: string): ModuleTrace {
  let text = '';
  try {
    text = readFileSync(traceFile, 'utf8');
  } catch {
    // nothing was recorded: the process did not start
  }
  const modules = [...new Set(text.split('\n').map((l) => l.trim()).filter(Boolean))];
  return { modules, tensorflow: modules.filter((m) => m.includes('/@tensorflow/')) };
}
