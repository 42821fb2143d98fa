import type { Command } from 'commander';
import { EXIT_INVALID } from '../io.js';
import { loadSpec } from '../load.js';

export function register(program: Command): void {
  program
    .command('ir')
    .description('print the validated IR (the JSON every backend and the code generator read)')
    .argument('<file>', 'spec file')
    .option('--facts', 'include the inferred shapes, parameters and MACs per node')
    .addHelpText('after', '\nExample:\n  $ mlc ir specs/mnist-mlp.model > mnist-mlp.json\n  $ mlc check mnist-mlp.json')
    .action((file: string, opts: { facts?: boolean }) => {
      const spec = loadSpec(file);
      if (!spec.ok || !spec.ir) {
        process.exitCode = EXIT_INVALID;
        return;
      }
      const out = opts.facts ? { ir: spec.ir, facts: spec.facts } : spec.ir;
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    });
}
