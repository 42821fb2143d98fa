/**
 * The commands that only read and write specs: check, summary, ir and fmt.
 * They never load TensorFlow.js, so they are also bundled into one file that
 * the installed `mlc` command runs from a V8 code cache (./bin.cts), where a
 * short `mlc check` would otherwise spend most of its time loading modules.
 */
import { register as check } from './commands/check.js';
import { register as fmt } from './commands/fmt.js';
import { register as ir } from './commands/ir.js';
import { register as summary } from './commands/summary.js';
import { buildProgram, runProgram, type RegisterCommand } from './program.js';

export const FRONT_END_COMMANDS: readonly RegisterCommand[] = [check, summary, ir, fmt];

/** Built once: the bin asks `handles` and then calls `run` in the same process. */
let program: ReturnType<typeof buildProgram> | undefined;
const frontEndProgram = () => (program ??= buildProgram(FRONT_END_COMMANDS));

/** Whether `args` (process.argv without node and the script) asks for one of these commands. */
export function handles(args: readonly string[]): boolean {
  return args.length > 0 && frontEndProgram().commands.some((c) => c.name() === args[0]);
}

export function run(argv: readonly string[] = process.argv): Promise<void> {
  return runProgram(frontEndProgram(), argv);
}
