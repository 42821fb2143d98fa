import type { Command } from 'commander';
import type { PredictFlags } from '../../runtime/run-predict.js';
import { backendOption, intFlag, verboseOption } from './train.js';

export function register(program: Command): void {
  program
    .command('predict')
    .description('run a saved model on image files, a CSV file (one sample per row) or a JSON file')
    .argument('<dir>', 'a folder written by `mlc train -o DIR`')
    .argument('<inputs...>', 'image files, a .csv or a .json file')
    .option('--top <k>', 'classes to show per sample, most probable first', intFlag(1), 3)
    .addOption(backendOption())
    .addOption(verboseOption())
    .option('--json', 'print {backend, predictions} as one JSON object on the last line of stdout')
    .addHelpText('after', '\nExample:\n  $ mlc predict runs/cnn digit.png --top 2\n  digit.png: 7 0.9812 · 9 0.0101')
    .action(async (dir: string, inputs: string[], flags: PredictFlags) => {
      const { runPredict, formatPrediction } = await import('../../runtime/run-predict.js');
      const { reportRuntimeError } = await import('../../runtime/report-error.js');
      try {
        const result = await runPredict(dir, inputs, flags);
        const text = flags.json ? JSON.stringify(result) : result.predictions.map(formatPrediction).join('\n');
        process.stdout.write(text + '\n');
      } catch (e) {
        process.exitCode = reportRuntimeError(e, dir);
      }
    });
}
