import type { Command } from 'commander';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { format } from '../../parser/fmt.js';
import { parse } from '../../parser/parse.js';
import { EXIT_INVALID, EXIT_USAGE, printDiagnostics, readTextFile, UsageError, writeFileAtomic } from '../io.js';

export function register(program: Command): void {
  program
    .command('fmt')
    .description('print spec files in the canonical layout (comments kept; the IR never changes)')
    .argument('<files...>', '.model files')
    .option('-w, --write', 'rewrite the files in place (atomically)')
    .option('--check', 'exit 1 and list the files that are not formatted; change nothing')
    .addHelpText('after', '\nExample:\n  $ mlc fmt --write specs/*.model\n  $ mlc fmt --check specs/*.model')
    .action((files: string[], opts: { write?: boolean; check?: boolean }) => {
      if (opts.write && opts.check) throw new UsageError('mlc fmt: --write and --check cannot be used together', EXIT_USAGE);
      let failed = false;
      for (const file of files) {
        const source = readTextFile(file);
        const parsed = parse(source);
        if (hasErrors(parsed.diagnostics)) {
          // A file with syntax errors is never rewritten: formatting it could lose text.
          printDiagnostics(parsed.diagnostics, file, source);
          failed = true;
          continue;
        }
        const formatted = format(parsed.file);
        if (opts.check) {
          if (formatted !== source) {
            process.stdout.write(`${file}: not formatted\n`);
            failed = true;
          }
        } else if (opts.write) {
          if (formatted !== source) writeFileAtomic(file, formatted);
        } else {
          process.stdout.write(formatted);
        }
      }
      if (failed) process.exitCode = EXIT_INVALID;
    });
}
