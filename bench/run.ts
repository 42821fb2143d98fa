/**
 * `npm run bench`: compiler speed and training throughput, each figure
 * measured side by side in this one run, printed as plain tables.
 * Settings: see OPTION_HELP (environment variables) or `--help`.
 */
import { compilerSpeed } from './compiler-speed.js';
import { editorSpeed } from './editor-speed.js';
import { machineLines } from './machine.js';
import { OPTION_HELP, readOptions, type BenchOptions } from './options.js';
import { findTorchPython } from './python.js';
import { formatTable } from './table.js';
import { trainingThroughput } from './training.js';

function print(lines: readonly string[]): void {
  process.stdout.write(lines.join('\n') + '\n');
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    print(['usage: npm run bench [-- --sections=compiler,editor,training]', '', OPTION_HELP]);
    return 0;
  }
  let opts: BenchOptions;
  try {
    opts = readOptions(argv);
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    return 2;
  }
  const started = performance.now();
  const torch = findTorchPython(opts.python);
  print(['# mlc bench', '', formatTable(['machine', ''], machineLines(torch), 2), '']);
  if (opts.sections.has('compiler')) print(await compilerSpeed(opts));
  if (opts.sections.has('editor')) print(await editorSpeed(opts));
  if (opts.sections.has('training')) print(await trainingThroughput(opts, torch));
  print([`bench finished in ${((performance.now() - started) / 1000).toFixed(0)} s`]);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
