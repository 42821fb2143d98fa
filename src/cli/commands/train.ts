import { InvalidArgumentError, Option, type Command } from 'commander';
import { EXIT_INVALID, UsageError } from '../io.js';
import { loadSpec } from '../load.js';
import { BACKEND_REQUESTS } from '../../runtime/backend/types.js';

/** Commander parsers for numeric flags: a bad value is a usage error naming the flag. */
export function intFlag(min: number): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}, got \`${v}\``);
    return n;
  };
}

function positiveNumberFlag(v: string): number {
  const n = Number(v);
  if (!(n > 0 && Number.isFinite(n))) throw new InvalidArgumentError(`expected a number > 0, got \`${v}\``);
  return n;
}

function fractionFlag(v: string): number {
  const n = Number(v);
  if (!(n >= 0 && n < 1)) throw new InvalidArgumentError(`expected a fraction in [0, 1), got \`${v}\``);
  return n;
}

type TrainCommandFlags = import('../../engines/torch/train.js').TorchTrainFlags & { engine: 'tfjs' | 'torch' };

export const backendOption = () =>
  new Option('--backend <name>', 'TensorFlow.js backend').choices(BACKEND_REQUESTS).default('auto');

export const verboseOption = () =>
  new Option('--verbose', "also say why faster TensorFlow.js backends were not used, and show TensorFlow.js's own messages");

export function register(program: Command): void {
  program
    .command('train')
    .description("train a spec's model; flags override its fit section")
    .argument('<file>', 'spec file (.model text or IR .json)')
    .option('--data <spec>', 'training data: mnist | idx:DIR | csv:FILE | images:DIR | json:FILE (default: mnist for 784 or 28x28x1 inputs)')
    .option('--label <column>', 'CSV label column (default: the last)')
    .option('--sample-weight <name>', "the CSV column or JSON field holding each sample's weight in the loss (Keras's sample_weight)")
    .option('--reconstruct', "train the output to reproduce the input, as an autoencoder (Keras's fit(x, x)); labels are not read")
    .option('--epochs <n>', 'epochs (total, counting resumed ones)', intFlag(1))
    .option('--batch <n>', 'batch size', intFlag(1))
    .option('--limit <n>', 'train on the first N samples only', intFlag(1))
    .option('--seed <n>', 'seed for weights and shuffling (reproducible runs)', intFlag(0))
    .option('--validation-split <f>', 'fraction of the training data held out for validation', fractionFlag)
    .option('--lr <x>', "learning rate, replacing the optimizer's (and its schedule)", positiveNumberFlag)
    .addOption(backendOption())
    .addOption(new Option('--engine <name>', 'what trains the model: tfjs (TensorFlow.js, built in) or torch (PyTorch through python3)').choices(['tfjs', 'torch']).default('tfjs'))
    .option('--nproc <n>', 'torch engine: train on N processes with DistributedDataParallel', intFlag(1))
    .addOption(new Option('--device <device>', 'torch engine: cpu or cuda').choices(['cpu', 'cuda']))
    .addOption(verboseOption())
    .option('--json', 'print the history and test scores as one JSON object on the last line of stdout')
    .option('-o, --output <dir>', 'save the model (and a checkpoint after every epoch) to DIR')
    .option('--force', 'let -o replace a model saved there before (only a folder mlc saved is ever replaced)')
    .option('--resume <dir>', 'continue training from the checkpoint in DIR (saved there again unless -o is given)')
    .addHelpText('after', '\nExample:\n  $ mlc train specs/mnist-cnn.model --epochs 2 -o runs/cnn\n  $ mlc train specs/mnist-cnn.model --epochs 4 --resume runs/cnn' +
      '\n  $ mlc train specs/mnist-cnn.model --engine torch --nproc 2 -o runs/cnn-torch')
    .action(async (file: string, flags: TrainCommandFlags) => {
      if (flags.engine !== 'torch' && (flags.nproc !== undefined || flags.device !== undefined)) {
        throw new UsageError('mlc train: --nproc and --device go with --engine torch');
      }
      const spec = loadSpec(file);
      if (!spec.ok || !spec.ir || !spec.facts) {
        process.exitCode = EXIT_INVALID;
        return;
      }
      const { runTrain } = await import('../../runtime/run-train.js');
      const { reportRuntimeError } = await import('../../runtime/report-error.js');
      try {
        const checked = { file, source: spec.source, ir: spec.ir, facts: spec.facts };
        const report = flags.engine === 'torch'
          ? await (await import('../../engines/torch/train.js')).runTorchTrain(checked, flags)
          : await runTrain(checked, flags);
        if (flags.json) process.stdout.write(JSON.stringify(report) + '\n');
      } catch (e) {
        process.exitCode = reportRuntimeError(e, file, spec.source);
      }
    });
}
