import type { Command } from 'commander';
import type { EvaluateFlags } from '../../runtime/run-evaluate.js';
import { backendOption, intFlag, verboseOption } from './train.js';

export function register(program: Command): void {
  program
    .command('evaluate')
    .description("a saved model's loss and metrics on data (its test split when it has one)")
    .argument('<dir>', 'a folder written by `mlc train -o DIR`')
    .option('--data <spec>', 'mnist | idx:DIR | csv:FILE | images:DIR | json:FILE (default: the data it was trained on)')
    .option('--label <column>', 'CSV label column (default: the last)')
    .option('--limit <n>', 'use the first N training samples only', intFlag(1))
    .option('--batch <n>', 'batch size', intFlag(1))
    .addOption(backendOption())
    .addOption(verboseOption())
    .option('--json', 'print {backend, split, samples, scores} as one JSON object on the last line of stdout')
    .addHelpText('after', '\nExample:\n  $ mlc evaluate runs/cnn\n  $ mlc evaluate runs/iris --data csv:data/iris-test.csv --json')
    .action(async (dir: string, flags: EvaluateFlags) => {
      const { runEvaluate } = await import('../../runtime/run-evaluate.js');
      const { reportRuntimeError } = await import('../../runtime/report-error.js');
      try {
        const report = await runEvaluate(dir, flags);
        if (flags.json) process.stdout.write(JSON.stringify(report) + '\n');
      } catch (e) {
        process.exitCode = reportRuntimeError(e, dir);
      }
    });
}
