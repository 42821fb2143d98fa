/**
 * `mlc export DIR --FORMAT FILE`: a model saved by `mlc train -o DIR` in
 * another format. Each format is one option with its own file
 * (export-onnx.ts); this one only lists them and dispatches.
 */
import type { Command } from 'commander';
import { UsageError } from '../io.js';
import { onnxFormat } from './export-onnx.js';

export interface ExportFormat {
  /** The option's key in commander's flags, e.g. `onnx` for `--onnx <file>`. */
  key: string;
  flag: string;
  description: string;
  example: string;
  /** Writes `file` from the saved model in `dir`; returns the exit status. */
  run(dir: string, file: string): Promise<number>;
}

const FORMATS: readonly ExportFormat[] = [onnxFormat];

export function register(program: Command): void {
  const command = program
    .command('export')
    .description('write a model saved by `mlc train -o DIR` in another format, with its trained weights')
    .argument('<dir>', 'a folder written by `mlc train -o DIR`');
  for (const format of FORMATS) command.option(format.flag, format.description);
  command
    .addHelpText('after', ['', 'Example:', ...FORMATS.map((f) => `  $ ${f.example}`)].join('\n'))
    .action(async (dir: string, flags: Record<string, string | undefined>) => {
      const chosen = FORMATS.filter((f) => flags[f.key] !== undefined);
      if (chosen.length === 0) {
        throw new UsageError(`mlc export: say which format to write, e.g. ${FORMATS.map((f) => `${f.flag.split(' ')[0]} FILE`).join(' or ')}`);
      }
      for (const format of chosen) {
        const status = await format.run(dir, flags[format.key]!);
        if (status !== 0) process.exitCode = status;
      }
    });
}
