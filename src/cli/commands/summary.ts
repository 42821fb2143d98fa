import type { Command } from 'commander';
import { EXIT_INVALID } from '../io.js';
import { loadSpec } from '../load.js';
import { summaryJson, summaryText } from '../summary-table.js';

export function register(program: Command): void {
  program
    .command('summary')
    .description("print a table like Keras's model.summary(), with MACs and memory")
    .argument('<file>', 'spec file (.model text or IR .json)')
    .option('--json', 'print the summary as one JSON object (stable format, see the language reference)')
    .addHelpText('after', '\nExample:\n  $ mlc summary specs/lenet5.model\n  $ mlc summary specs/lenet5.model --json')
    .action((file: string, opts: { json?: boolean }) => {
      const spec = loadSpec(file);
      if (!spec.ok || !spec.ir || !spec.facts) {
        process.exitCode = EXIT_INVALID;
        // The table still shows every shape inference could know; the JSON form is for valid models only.
        if (!opts.json && spec.ir && spec.facts && spec.ir.nodes.length > 0) process.stdout.write(summaryText(spec.ir, spec.facts) + '\n');
        return;
      }
      const text = opts.json ? JSON.stringify(summaryJson(spec.ir, spec.facts)) : summaryText(spec.ir, spec.facts);
      process.stdout.write(text + '\n');
    });
}
