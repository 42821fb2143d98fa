import type { Command } from 'commander';
import { EXIT_INVALID } from '../io.js';
import { loadSpec } from '../load.js';
import { formatShape } from '../../layers/index.js';
import { groupThousands } from '../summary-table.js';

export function register(program: Command): void {
  program
    .command('check')
    .description('parse, validate and shape-check spec files (.model text or IR .json)')
    .argument('<files...>', 'spec files')
    .option('-q, --quiet', 'print only problems, not the one-line summary of valid files')
    .addHelpText('after', '\nExample:\n  $ mlc check specs/lenet5.model\n  specs/lenet5.model: ok — 8 layers, 44,426 parameters, output (None, 10)')
    .action((files: string[], opts: { quiet?: boolean }) => {
      let failed = false;
      for (const file of files) {
        const spec = loadSpec(file);
        if (!spec.ok) {
          failed = true;
          continue;
        }
        if (!opts.quiet && spec.facts) {
          const shapes = spec.ir?.outputs.map((id) => spec.facts!.nodes.find((n) => n.id === id)?.outputShape).filter((s) => s !== undefined) ?? [];
          const output = shapes.length === 0 ? '' : `, ${shapes.length === 1 ? 'output' : 'outputs'} ${shapes.map((s) => formatShape(s)).join(', ')}`;
          const layers = spec.facts.nodes.length;
          const params = spec.facts.totalParams;
          process.stdout.write(
            `${file}: ok — ${layers} ${layers === 1 ? 'layer' : 'layers'}, ${groupThousands(params)} ${params === 1 ? 'parameter' : 'parameters'}${output}\n`,
          );
        }
      }
      if (failed) process.exitCode = EXIT_INVALID;
    });
}
