/**
 * `mlc train`: data, model, loop, checkpoints and the final report, for a
 * spec the CLI has already read and checked.
 */
import type { IR, IRFit, ModelFacts } from '../ir/types.js';
import { firstLoss } from '../ir/outputs.js';
import { EarlyStopping, ModelCheckpoint, ReduceLROnPlateau } from './fit/callbacks.js';
import { sampleWeightsFromClasses, type ClassWeight } from './fit/class-weights.js';
import { setLearningRate } from './fit/schedules.js';
import { defaultDataSpec } from './data/index.js';
import { evaluateTensors } from './evaluate.js';
import { buildModel, compileModel } from './model.js';
import { adaptToData } from './adapt.js';
import { callbackConfigs, lowerOptimizer, type CallbackConfigs } from './compile-config.js';
import { objectiveOf, type Scores } from './objective.js';
import { formatScores, progressFor } from './progress.js';
import { explainNonFinite } from './nonfinite.js';
import { checkSaveTarget, loadModelDir, saveModelDir, type Checkpoint } from './saved-model.js';
import { isSingleIO, labelModeFor, loadBackend, loadModelData, outputShapesOf, RuntimeUsageError, type BackendName } from './session.js';
import { disposeTensors, holdOut, largestMagnitude, toTensors, type MultiSplit } from './split-tensors.js';
import { train, type EpochRecord } from './train.js';

export interface TrainFlags {
  data?: string;
  label?: string;
  /** The CSV column or JSON field holding each sample's weight in the loss. */
  sampleWeight?: string;
  /** Train the output to reproduce the input (autoencoders). */
  reconstruct?: boolean;
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
  /** Overrides the optimizer's learning rate (a schedule included). */
  lr?: number;
  /** Let -o replace a model mlc saved there before (never anything else). */
  force?: boolean;
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
  /** The epoch early stopping ended training at. */
  stoppedEpoch?: number;
  /** The epoch whose weights the trained model holds, when it is not the last one (restore_best_weights). */
  restoredEpoch?: number;
  /** The epoch whose weights were saved last under -o (model_checkpoint with save_best_only keeps the best). */
  savedEpoch?: number;
  test?: Scores;
}

/** The fit section's callbacks as the loop's state machines. */
export function callbacksOf(fit: IRFit | undefined) {
  return callbacksOfConfigs(callbackConfigs(fit));
}

function callbacksOfConfigs(configs: CallbackConfigs) {
  return {
    earlyStopping: configs.earlyStopping && new EarlyStopping(configs.earlyStopping),
    checkpoint: configs.checkpoint && new ModelCheckpoint(configs.checkpoint),
    reduceLrOnPlateau: configs.reduceLrOnPlateau && new ReduceLROnPlateau(configs.reduceLrOnPlateau),
  };
}

/** The IR with its optimizer's learning rate replaced by a constant (--lr). */
function withLearningRate(ir: IR, lr: number): IR {
  const compile = ir.compile!;
  return { ...ir, compile: { ...compile, optimizer: { ...compile.optimizer, args: { ...compile.optimizer.args, learning_rate: lr } } } };
}

/** The spec's layers and compile section must match the checkpoint's, or resuming would load the wrong weights. */
export function sameModel(a: IR, b: IR): boolean {
  const strip = (ir: IR) => JSON.stringify({
    nodes: ir.nodes.map((n) => [n.kind, n.name, n.args, n.inputs]),
    inputs: ir.inputs.map((i) => [i.shape, i.dtype]),
    outputs: ir.outputs,
    loss: ir.compile?.loss,
    optimizer: ir.compile?.optimizer,
  });
  return strip(a) === strip(b);
}

/** Allocation failures, as each backend reports them: a model too big for this machine's (or wasm's 4 GB) memory. */
const OUT_OF_MEMORY = /memory access out of bounds|Invalid typed array length|Array buffer allocation failed|out of memory|Cannot allocate/i;

/** A model that does not fit in memory, said as such (it is the machine's limit, not a bug), or undefined for any other error. */
function memoryError(e: unknown, facts: ModelFacts, backend: string, file: string): RuntimeUsageError | undefined {
  if (!(e instanceof Error) || !OUT_OF_MEMORY.test(e.message)) return undefined;
  const gb = (facts.totalParams * 4) / 2 ** 30;
  return new RuntimeUsageError(`${file}: error: the model does not fit in memory on the ${backend} backend: its ${facts.totalParams.toLocaleString('en-US')} parameters take ` +
    `~${gb.toFixed(1)} GB as float32, and training needs about four times that (gradients and optimizer state)${backend === 'wasm' ? '; WebAssembly has 4 GB in all' : ''}\n` +
    'help: make the model smaller (fewer units, pooling before dense layers), or train with `--backend cpu` or tfjs-node, which can use all memory');
}

function withMemoryExplained<T>(run: () => T, facts: ModelFacts, backend: string, file: string): T {
  try {
    return run();
  } catch (e) {
    throw memoryError(e, facts, backend, file) ?? e;
  }
}

/** The --data spec, or the default data of a one-input model (mnist for digits), or an error saying to name it. */
export function dataSpecOf(file: string, ir: IR, data: string | undefined): string {
  const input = ir.inputs[0];
  const dataSpec = data ?? (isSingleIO(ir) ? defaultDataSpec(input.shape, input.dtype) : undefined);
  if (dataSpec === undefined) {
    const what = isSingleIO(ir)
      ? `an input of ${input.shape.map((d) => d ?? '?').join('x')} ${input.dtype}`
      : `a model of ${ir.inputs.length} inputs and ${ir.outputs.length} outputs`;
    throw new RuntimeUsageError(`${file}: error: no default data for ${what}\n` +
      'help: name the data with --data: csv:FILE, images:DIR, json:FILE, idx:DIR or mnist (for 784 or 28x28x1 inputs); a graph with several inputs or outputs reads json:FILE with one field per input and output');
  }
  return dataSpec;
}

/** What the fit section's callbacks cannot do with this run's data and flags, as notes. */
export function callbackNotes(configs: CallbackConfigs, validation: boolean, outputDir: string | undefined): string[] {
  const notes: string[] = [];
  for (const [name, c] of Object.entries(callbacksOfConfigs(configs))) {
    const monitor = c?.config.monitor;
    if (monitor?.startsWith('val_') && !validation) {
      notes.push(`note: ${name} watches ${monitor}, but no validation data is held out, so it does nothing (add validation_split to fit, or --validation-split)\n`);
    }
  }
  if (configs.checkpoint && !outputDir) notes.push('note: model_checkpoint saves to the folder given with -o; without one nothing is saved\n');
  return notes;
}

/** What early stopping did, as said after training. */
export const stoppedLine = (epoch: number) => `early_stopping: stopped after epoch ${epoch}\n`;
export const restoredLine = (epoch: number, monitor: string) => `early_stopping: restored the weights of epoch ${epoch}, the best ${monitor}\n`;

/** The last line about -o: which epoch the folder holds, when not the last one, and why. */
export function savedLine(outputDir: string, savedEpoch: number | undefined, lastEpoch: number, checkpoint: ModelCheckpoint | undefined): string {
  if (savedEpoch === lastEpoch) return `saved: ${outputDir}\n`;
  if (savedEpoch !== undefined) {
    const best = checkpoint?.config.saveBestOnly ? `, the best ${checkpoint.config.monitor}: ${checkpoint.bestValue!.toFixed(4)}` : '';
    return `saved: ${outputDir} (the weights of epoch ${savedEpoch}${best})\n`;
  }
  return `not saved: ${checkpoint?.config.monitor} was never reported, so model_checkpoint kept nothing\n`;
}

function outputDirOf(flags: TrainFlags): string | undefined {
  return flags.output ?? flags.resume;
}

export async function runTrain(spec: CheckedSpec, flags: TrainFlags): Promise<TrainReport> {
  const { ir, facts } = spec;
  if (!ir.compile) {
    throw new RuntimeUsageError(`${spec.file}: error: the spec has no \`compile\` line, so there is nothing to train against\n` +
      'help: add e.g. `compile loss=categorical_crossentropy optimizer=rmsprop metrics=[accuracy]`');
  }
  // The output folder is checked before any work, so a run never ends unable to save, and nothing but an mlc save is replaced.
  if (flags.output !== undefined) checkSaveTarget(flags.output, { force: flags.force, resuming: flags.resume });
  const human = flags.json ? process.stderr : process.stdout;
  const fit = ir.fit;
  const dataSpec = dataSpecOf(spec.file, ir, flags.data);
  const data = await loadModelData(ir, outputShapesOf(ir, facts), dataSpec, { labelColumn: flags.label, sampleWeight: flags.sampleWeight, reconstruct: flags.reconstruct, limit: flags.limit });

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

  const trainIr = flags.lr === undefined ? ir : withLearningRate(ir, flags.lr);
  const model = resumed?.model ?? withMemoryExplained(() => buildModel(tf, ir, { seed }), facts, backend.name, spec.file);
  const compiled = resumed ? undefined : compileModel(tf, model, trainIr);
  if (resumed && flags.lr !== undefined) setLearningRate(model.optimizer, flags.lr);
  const schedule = flags.lr === undefined ? (compiled?.optimizer.schedule ?? lowerOptimizer(ir.compile).schedule) : undefined;
  const objective = objectiveOf(tf, model, ir);
  const { train: trainSplit, validation } = holdOut(data.train, validationSplit);
  // A resumed model keeps the constants it adapted when it was first trained.
  if (!resumed) {
    for (const name of adaptToData(tf, model, ir, trainSplit)) human.write(`normalization: \`${name}\` adapted to the ${trainSplit.count} training samples\n`);
  }
  const callbacks = callbacksOf(fit);
  for (const note of callbackNotes(callbackConfigs(fit), validation !== undefined, outputDirOf(flags))) human.write(note);
  const sampleWeights = trainingWeights(fit?.class_weight, data.train, trainSplit);
  const history: EpochRecord[] = [...(resumed?.checkpoint.history ?? [])];
  const outputDir = outputDirOf(flags);
  const checkpoint = (epoch: number): Checkpoint => ({
    epoch, epochs, history, seed, batchSize, data: dataSpec,
    classNames: data.classNames, labelColumn: data.labelColumn, sampleWeight: flags.sampleWeight, ...(flags.reconstruct ? { reconstruct: true } : {}), labelMode: labelModeFor(firstLoss(ir)), optimizerState: true,
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
      schedule, recordLearningRate: schedule !== undefined || callbacks.reduceLrOnPlateau !== undefined,
      earlyStopping: callbacks.earlyStopping, reduceLrOnPlateau: callbacks.reduceLrOnPlateau, sampleWeights,
      onEpochEnd: async (epoch, record) => {
        history.push(record);
        // model_checkpoint decides which epochs the folder keeps; without it, every one.
        if (!outputDir || (callbacks.checkpoint && !callbacks.checkpoint.onEpochEnd(epoch - 1, record))) return;
        await saveModelDir(tf, model, outputDir, ir, checkpoint(epoch), source);
        saved = { dir: outputDir, epoch };
      },
    });
    const report: TrainReport = { backend: backend.name, firstEpoch: initialEpoch + 1, epochs: result.epochs };
    if (result.stoppedEpoch !== undefined) {
      report.stoppedEpoch = result.stoppedEpoch;
      human.write(stoppedLine(result.stoppedEpoch));
    }
    if (result.restoredEpoch !== undefined) {
      report.restoredEpoch = result.restoredEpoch;
      human.write(restoredLine(result.restoredEpoch, callbacks.earlyStopping!.config.monitor));
      // Unless model_checkpoint chose what the folder keeps, it holds the restored weights, recorded as that epoch.
      if (outputDir && !callbacks.checkpoint && saved?.epoch !== result.restoredEpoch) {
        const kept = { ...checkpoint(result.restoredEpoch), history: history.slice(0, result.restoredEpoch) };
        await saveModelDir(tf, model, outputDir, ir, kept, source);
        saved = { dir: outputDir, epoch: result.restoredEpoch };
      }
    }
    const savedEpoch = saved?.dir === outputDir ? saved?.epoch : undefined;
    if (savedEpoch !== undefined) report.savedEpoch = savedEpoch;
    if (data.test) {
      const testT = toTensors(tf, data.test);
      try {
        report.test = await evaluateTensors(tf, model, objective, testT, batchSize);
      } finally {
        disposeTensors(testT);
      }
      human.write(`test: ${formatScores(report.test)} (${data.test.count} samples)\n`);
    }
    const lastEpoch = initialEpoch + result.epochs.length;
    if (outputDir) human.write(savedLine(outputDir, savedEpoch, lastEpoch, callbacks.checkpoint));
    return report;
  } catch (e) {
    throw memoryError(e, facts, backend.name, spec.file) ?? e;
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
 * record are repeated; epochs, batch size and seed come from the checkpoint;
 * engineArgs: the torch engine's own, such as --engine torch --nproc 2).
 */
export function interruptNotice(
  file: string, flags: TrainFlags, saved: { dir: string; epoch: number } | undefined, epochs: number, engineArgs: string[] = [],
): string {
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
  args.push(...engineArgs);
  return (
    `mlc: training interrupted; ${saved.dir} holds the model after epoch ${saved.epoch} of ${epochs}\n` +
    `continue with: ${args.map(shellWord).join(' ')}`
  );
}

/**
 * Each training sample's weight in the loss: its class weight times its own
 * weight from the data, as Keras multiplies class_weight and sample_weight;
 * undefined when neither is given. `balanced` counts the classes over all the
 * training data, before validation_split holds some out.
 */
export function trainingWeights(classWeight: ClassWeight | undefined, all: MultiSplit, train: MultiSplit): Float32Array | undefined {
  const perClass = classWeight === undefined ? undefined : sampleWeightsFromClasses(classWeight, all.ys[0]!.values, all.count).subarray(0, train.count);
  if (!perClass) return train.weights;
  if (!train.weights) return perClass;
  return perClass.map((w, i) => w * train.weights![i]);
}
