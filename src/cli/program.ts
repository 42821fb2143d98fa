/**
 * The mlc program: commander set up with a list of commands, run with mlc's
 * exit codes. Each command lives in ./commands/NAME.ts and exports
 * `register(program)`. Shared by ./main.ts (every command) and
 * ./front-end.ts (the commands that never load TensorFlow.js).
 */
import { Command, CommanderError } from 'commander';
import { escapeControl } from '../diagnostics/render.js';
import { EXIT_USAGE, UsageError } from './io.js';

export type RegisterCommand = (program: Command) => void;

export function buildProgram(commands: readonly RegisterCommand[]): Command {
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
  for (const register of commands) register(program);
  return program;
}

async function exitCodeOf(program: Command, argv: readonly string[]): Promise<number> {
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; anything else commander rejects is a usage error.
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (e instanceof UsageError) {
      process.stderr.write(escapeControl(e.message) + '\n');
      return e.exitCode;
    }
    throw e;
  }
}

/** Runs the program on `argv` (as process.argv) and sets the process's exit code. */
export function runProgram(program: Command, argv: readonly string[] = process.argv): Promise<void> {
  // `mlc summary x | head` closes the pipe early: that ends the output, it is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
  return exitCodeOf(program, argv).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      // An internal error: still one line plus a request to report, not a bare stack trace.
      process.stderr.write(`mlc: internal error: ${escapeControl((e as Error)?.message ?? String(e))}\n`);
      if (process.env.MLC_DEBUG) process.stderr.write(String((e as Error)?.stack) + '\n');
      process.exitCode = 70;
    },
  );
}
