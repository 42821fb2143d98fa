#!/usr/bin/env node
/**
 * The mlc command line. Each command lives in ./commands/NAME.ts and exports
 * `register(program)`. Commands that run models load TensorFlow.js lazily, so
 * check / summary / ir / fmt start fast.
 */
import { Command, CommanderError } from 'commander';
import { EXIT_USAGE, UsageError } from './io.js';
import { register as check } from './commands/check.js';
import { register as emit } from './commands/emit.js';
import { register as fmt } from './commands/fmt.js';
import { register as ir } from './commands/ir.js';
import { register as summary } from './commands/summary.js';
import { register as train } from './commands/train.js';
import { register as evaluate } from './commands/evaluate.js';
import { register as predict } from './commands/predict.js';

const program = new Command();
program
  .name('mlc')
  .description('A compiler for .model files: check, summarize, train and emit Keras-style models.')
  .version('0.1.0')
  .exitOverride()
  .showHelpAfterError('(run `mlc --help` for usage)')
  .addHelpText(
    'after',
    `
Example:
  $ mlc check specs/lenet5.model
  $ mlc summary specs/mnist-cnn.model
  $ mlc train specs/mnist-cnn.model --epochs 1`,
  );

const COMMANDS: ((p: Command) => void)[] = [check, summary, ir, fmt, emit, train, evaluate, predict];

async function main(): Promise<number> {
  for (const register of COMMANDS) register(program);
  try {
    await program.parseAsync(process.argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; anything else commander rejects is a usage error.
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (e instanceof UsageError) {
      process.stderr.write(e.message + '\n');
      return e.exitCode;
    }
    throw e;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // An internal error: still one line plus a request to report, not a bare stack trace.
    process.stderr.write(`mlc: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    if (process.env.MLC_DEBUG) process.stderr.write(String((e as Error)?.stack) + '\n');
    process.exitCode = 70;
  },
);
