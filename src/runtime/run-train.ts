/**
 * `mlc train`: data, model, loop, checkpoints and the final report, for a
 * spec the CLI has already read and checked.
 */
import type { IR, ModelFacts } from '../ir/types.js';
import { firstLoss } from '../ir/outputs.js';
import { defaultDataSpec } from './data/index.js';
import { evaluateTensors } from './evaluate.js';
import { buildModel, compileModel } from './model.js';
import { objectiveOf, type Scores } from './objective.js';
import { formatScores, progressFor } from './progress.js';
import { explainNonFinite } from './nonfinite.js';
import { loadModelDir, saveModelDir, type Checkpoint } from './saved-model.js';
import { isSingleIO, labelModeFor, loadBackend, loadModelData, outputShapesOf, RuntimeUsageError, type BackendName } from './session.js';
import { disposeTensors, holdOut, largestMagnitude, toTensors } from './split-tensors.js';
import { train, type EpochRecord } from './train.js';

export interface TrainFlags {
  data?: string;
  label?: string;
  epochs?: number;
  batch?: number;
  limit?: number;
  seed?: number;
  validationSplit?: number;
  backend: BackendName;
  /** Also say why faster backends were passed over. */
  verbose?: boolean;
  json?: boolean;
  output?: string;
  resume?: string;
}

export interface CheckedSpec {
  file: string;
  source: string;
  ir: IR;
  facts: ModelFacts;
}

/** The JSON report that `--json` prints as the last line of stdout. */
export interface TrainReport {
  backend: string;
  /** The epoch this run started at (1 unless resumed). */
  firstEpoch: number;
  epochs: EpochRecord[];
  test?: Scores;
}

/** The spec's layers and compile section must match the checkpoint's, or resuming would load the wrong weights. */
function sameModel(a: IR, b: IR): boolean {
  const strip = (ir: IR) => JSON.stringify({
    nodes: ir.nodes.map((n) => [n.kind, n.name, n.args, n.inputs]),
    inputs: ir.inputs.map((i) => [i.shape, i.dtype]),
    outputs: ir.outputs,
    loss: ir.compile?.loss,
    optimizer: ir.compile?.optimizer,
  });
  return strip(a) === strip(b);
}

export async function runTrain(spec: CheckedSpec, flags: TrainFlags): Promise<TrainReport> {
  const { ir, facts } = spec;
  if (!ir.compile) {
    throw new RuntimeUsageError(`${spec.file}: error: the spec has no \`compile\` line, so there is nothing to train against\n` +
      'help: add e.g. `compile loss=categorical_crossentropy optimizer=rmsprop metrics=[accuracy]`');
  }
  const human = flags.json ? process.stderr : process.stdout;
  const fit = ir.fit;
  const input = ir.inputs[0];
  const dataSpec = flags.data ?? (isSingleIO(ir) ? defaultDataSpec(input.shape, input.dtype) : undefined);
  if (dataSpec === undefined) {
    const what = isSingleIO(ir)
      ? `an input of ${input.shape.map((d) => d ?? '?').join('x')} ${input.dtype}`
      : `a model of ${ir.inputs.length} inputs and ${ir.outputs.length} outputs`;
    throw new RuntimeUsageError(`${spec.file}: error: no default data for ${what}\n` +
      'help: name the data with --data: csv:FILE, images:DIR, json:FILE, idx:DIR or mnist (for 784 or 28x28x1 inputs); a graph with several inputs or outputs reads json:FILE with one field per input and output');
  }
  const data = await loadModelData(ir, outputShapesOf(ir, facts), dataSpec, { labelColumn: flags.label, limit: flags.limit });

  const backend = await loadBackend(flags.backend, { verbose: flags.verbose });
  const { tf } = backend;
  human.write(`data: ${data.description}\n`);

  const resumed = flags.resume ? await loadModelDir(tf, flags.resume) : undefined;
  if (resumed && !sameModel(resumed.ir, ir)) {
    throw new RuntimeUsageError(`${spec.file}: error: the spec's model differs from the one saved in ${flags.resume}\n` +
      'help: resume with the spec the checkpoint was trained from (it is saved beside it as spec.model)');
  }
  const seed = flags.seed ?? resumed?.checkpoint.seed ?? fit?.seed;
  const epochs = flags.epochs ?? resumed?.checkpoint.epochs ?? fit?.epochs ?? 1;
  const batchSize = flags.batch ?? resumed?.checkpoint.batchSize ?? fit?.batch_size ?? 32;
  const validationSplit = flags.validationSplit ?? fit?.validation_split ?? 0;
  const initialEpoch = resumed?.checkpoint.epoch ?? 0;
  if (resumed && initialEpoch >= epochs) {
    throw new RuntimeUsageError(`mlc: ${flags.resume} already holds ${initialEpoch} epochs; ask for more with --epochs ${initialEpoch + 1} or more`);
  }

  const model = resumed?.model ?? buildModel(tf, ir, { seed });
  if (!resumed) compileModel(tf, model, ir);
  const objective = objectiveOf(tf, model, ir);
  const { train: trainSplit, validation } = holdOut(data.train, validationSplit);
  const history: EpochRecord[] = [...(resumed?.checkpoint.history ?? [])];
  const outputDir = flags.output ?? flags.resume;
  const checkpoint = (epoch: number): Checkpoint => ({
    epoch, epochs, history, seed, batchSize, data: dataSpec,
    classNames: data.classNames, labelMode: labelModeFor(firstLoss(ir)), optimizerState: true,
  });
  const source = spec.file.toLowerCase().endsWith('.json') ? resumed?.source : spec.source;

  // The folder a --resume can continue from, and its last finished epoch.
  let saved: { dir: string; epoch: number } | undefined = resumed && flags.resume ? { dir: flags.resume, epoch: initialEpoch } : undefined;
  const progressOut = flags.json ? process.stderr : process.stdout;
  const onInterrupt = () => {
    // The progress bar hides the terminal's cursor while it runs.
    if (progressOut.isTTY) progressOut.write('\x1b[?25h');
    process.stderr.write(`\n${interruptNotice(spec.file, flags, saved, epochs)}\n`);
    process.exit(130);
  };
  process.on('SIGINT', onInterrupt);
  try {
    const result = await train({
      tf, model, objective, train: trainSplit, validation,
      epochs, batchSize, shuffle: fit?.shuffle ?? true, seed, initialEpoch,
      progress: progressFor(progressOut),
      explainNonFinite: () => explainNonFinite(ir, largestMagnitude(trainSplit)),
      onEpochEnd: async (epoch, record) => {
        history.push(record);
        if (outputDir) {
          await saveModelDir(tf, model, outputDir, ir, checkpoint(epoch), source);
          saved = { dir: outputDir, epoch };
        }
      },
    });
    const report: TrainReport = { backend: backend.name, firstEpoch: initialEpoch + 1, epochs: result.epochs };
    if (data.test) {
      const testT = toTensors(tf, data.test);
      try {
        report.test = await evaluateTensors(tf, model, objective, testT, batchSize);
      } finally {
        disposeTensors(testT);
      }
      human.write(`test: ${formatScores(report.test)} (${data.test.count} samples)\n`);
    }
    if (outputDir) human.write(`saved: ${outputDir}\n`);
    return report;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    model.dispose();
  }
}

/** A word for a POSIX shell: quoted only when it needs to be. */
function shellWord(word: string): string {
  return /^[\w./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * What Ctrl-C during training says: where the last finished epoch was saved
 * and the command that continues from it (the flags a checkpoint does not
 * record are repeated; epochs, batch size and seed come from the checkpoint).
 */
export function interruptNotice(file: string, flags: TrainFlags, saved: { dir: string; epoch: number } | undefined, epochs: number): string {
  if (!saved) {
    const why = flags.output || flags.resume ? 'no epoch had finished, so nothing was saved' : 'nothing was saved (train with -o DIR to keep a checkpoint after every epoch)';
    return `mlc: training interrupted; ${why}`;
  }
  const args = ['mlc', 'train', file, '--resume', saved.dir];
  if (flags.data !== undefined) args.push('--data', flags.data);
  if (flags.label !== undefined) args.push('--label', flags.label);
  if (flags.limit !== undefined) args.push('--limit', String(flags.limit));
  if (flags.validationSplit !== undefined) args.push('--validation-split', String(flags.validationSplit));
  if (flags.backend !== 'auto') args.push('--backend', flags.backend);
  return (
    `mlc: training interrupted; ${saved.dir} holds the model after epoch ${saved.epoch} of ${epochs}\n` +
    `continue with: ${args.map(shellWord).join(' ')}`
  );
}
