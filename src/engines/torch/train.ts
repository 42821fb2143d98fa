/**
 * `mlc train --engine torch`: mlc reads and checks the data as for the tfjs
 * engine, hands it to the emitted PyTorch program as raw arrays, runs that
 * program on `--nproc` processes (DistributedDataParallel over loopback;
 * the ranks are started here with MASTER_ADDR/MASTER_PORT/WORLD_SIZE/RANK,
 * because Debian's torch 1.13 torchrun fails on Python 3.11), turns rank 0's
 * JSON events into mlc's progress and report, and saves the epochs the
 * program saves (every one, or model_checkpoint's choice, or the weights
 * early stopping put back) in mlc's own format so that evaluate and predict
 * work on them. The fit section's schedule, callbacks and class weights run
 * inside the program, as src/runtime/fit defines them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { emitPyTorch } from '../../codegen/pytorch/emit.js';
import type { IR } from '../../ir/types.js';
import { callbackConfigs } from '../../runtime/compile-config.js';
import { ModelCheckpoint } from '../../runtime/fit/callbacks.js';
import { firstLoss } from '../../ir/outputs.js';
import { explainNonFinite } from '../../runtime/nonfinite.js';
import type { Scores } from '../../runtime/objective.js';
import { progressFor } from '../../runtime/progress.js';
import { formatScores } from '../../runtime/progress.js';
import {
  callbackNotes, dataSpecOf, interruptNotice, restoredLine, sameModel, savedLine, stoppedLine, type CheckedSpec, type TrainFlags, type TrainReport,
} from '../../runtime/run-train.js';
import { checkSaveTarget, type Checkpoint } from '../../runtime/saved-model.js';
import { labelModeFor, loadModelData, outputShapesOf, RuntimeUsageError } from '../../runtime/session.js';
import { holdOut, largestMagnitude } from '../../runtime/split-tensors.js';
import { NonFiniteLossError, type EpochRecord } from '../../runtime/train.js';
import { EXIT_INTERRUPTED, EXIT_NONFINITE, EXIT_USER_ERROR, TORCH_OPTIMIZER_FILE } from '../../targets/torch/runtime-py.js';
import { arrayFiles } from './arrays.js';
import { findTorchPython, NO_TORCH_HELP, pythonCandidates } from './python.js';

export interface TorchTrainFlags extends TrainFlags {
  /** Processes (DistributedDataParallel ranks) on this machine. */
  nproc?: number;
  device?: 'cpu' | 'cuda';
}

/** The tfjs engine's report, with how far the processes' weights ended apart (0: in step) when there were several. */
export interface TorchTrainReport extends TrainReport {
  replicaMaxDifference?: number;
}

type Event =
  | { event: 'epoch_start'; epoch: number; epochs: number; batches: number }
  | { event: 'batch'; epoch: number; epochs: number; batch: number; batches: number; scores: Scores; samplesPerSec: number }
  | { event: 'epoch_end'; epoch: number; epochs: number; record: EpochRecord; seconds: number }
  | { event: 'saved'; epoch: number; path: string }
  | { event: 'stopped'; epoch: number }
  | { event: 'restored'; epoch: number; monitor: string }
  | { event: 'nonfinite'; epoch: number; batch: number; loss: string }
  | { event: 'replicas'; maxDifference: number }
  | { event: 'test'; scores: Scores; count: number };

/** How long the other ranks may take to leave the process group after rank 0 has reported its last event. */
const RANK_EXIT_GRACE_MS = 15_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The last lines a process wrote to stderr, kept for the error message. */
function tail(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.on('data', (d: Buffer) => {
    text = (text + d.toString('utf8')).slice(-4000);
  });
  return () => text.trim();
}

/**
 * Saves Keras-ordered weights written by the program as an mlc model folder
 * (tfjs topology + weights), with the program's optimizer state beside them.
 */
async function saveFromTorch(weightsPath: string, dir: string, ir: IR, checkpoint: Checkpoint, source: string | undefined): Promise<void> {
  const layers = JSON.parse(readFileSync(`${weightsPath}.json`, 'utf8')) as { layer: string; shapes: number[][] }[];
  const raw = readFileSync(`${weightsPath}.bin`);
  const optimizerPath = `${weightsPath}.optimizer.pt`;
  const optimizerState = existsSync(optimizerPath) ? readFileSync(optimizerPath) : undefined;
  for (const path of [`${weightsPath}.json`, `${weightsPath}.bin`, optimizerPath]) rmSync(path, { force: true });
  const floats = new Float32Array(Uint8Array.from(raw).buffer);
  // The cpu backend: it loads fastest, and saving runs no kernels.
  const { selectBackend } = await import('../../runtime/backend/select.js');
  const { tf } = (await selectBackend('cpu')) as unknown as { tf: import('../../runtime/tf.js').TF };
  const { buildModel, compileModel } = await import('../../runtime/model.js');
  const { saveModelDir } = await import('../../runtime/saved-model.js');
  const model = buildModel(tf, ir, {});
  try {
    compileModel(tf, model, ir);
    let at = 0;
    for (const { layer, shapes } of layers) {
      // model.weights lists trainable weights first; within one layer, Keras's order is kept.
      const vars = model.weights.filter((w) => ((w as unknown as { originalName?: string }).originalName ?? w.name).startsWith(`${layer}/`));
      if (vars.length !== shapes.length) throw new Error(`layer ${layer}: PyTorch wrote ${shapes.length} weights, tfjs has ${vars.length}`);
      vars.forEach((v, i) => {
        const size = shapes[i].reduce((p, d) => p * d, 1);
        v.write(tf.tensor(floats.subarray(at, at + size), v.shape as number[]));
        at += size;
      });
    }
    await saveModelDir(tf, model, dir, ir, checkpoint, source, optimizerState);
  } finally {
    model.dispose();
  }
}

export async function runTorchTrain(spec: CheckedSpec, flags: TorchTrainFlags): Promise<TorchTrainReport> {
  const { facts } = spec;
  let { ir } = spec;
  if (!ir.compile) {
    throw new RuntimeUsageError(`${spec.file}: error: the spec has no \`compile\` line, so there is nothing to train against\n` +
      'help: add e.g. `compile loss=categorical_crossentropy optimizer=rmsprop metrics=[accuracy]`');
  }
  if (flags.output !== undefined) checkSaveTarget(flags.output, { force: flags.force, resuming: flags.resume });
  // --lr replaces the optimizer's rate, a schedule included, as on the tfjs engine.
  if (flags.lr !== undefined) {
    const compile = ir.compile;
    ir = { ...ir, compile: { ...compile, optimizer: { ...compile.optimizer, args: { ...compile.optimizer.args, learning_rate: flags.lr } } } };
  }
  const nproc = flags.nproc ?? 1;
  const device = flags.device ?? 'cpu';
  const python = findTorchPython();
  if (!python) {
    throw new RuntimeUsageError(`mlc: --engine torch needs Python with PyTorch, and ${pythonCandidates().join(' nor ')} can import torch: ${NO_TORCH_HELP}`);
  }
  if (device === 'cuda' && !python.cuda) {
    throw new RuntimeUsageError(`mlc: --device cuda, but PyTorch ${python.torchVersion} (${python.python}) sees no CUDA device; use --device cpu`);
  }
  const human = flags.json ? process.stderr : process.stdout;
  const fit = ir.fit;
  const dataSpec = dataSpecOf(spec.file, ir, flags.data);
  const data = await loadModelData(ir, outputShapesOf(ir, facts), dataSpec, { labelColumn: flags.label, sampleWeight: flags.sampleWeight, reconstruct: flags.reconstruct, limit: flags.limit });
  const resumed = flags.resume ? await readResumed(flags.resume, spec) : undefined;
  const seed = flags.seed ?? resumed?.seed ?? fit?.seed;
  const epochs = flags.epochs ?? resumed?.epochs ?? fit?.epochs ?? 1;
  const batchSize = flags.batch ?? resumed?.batchSize ?? fit?.batch_size ?? 32;
  const initialEpoch = resumed?.epoch ?? 0;
  if (resumed && initialEpoch >= epochs) {
    throw new RuntimeUsageError(`mlc: ${flags.resume} already holds ${initialEpoch} epochs; ask for more with --epochs ${initialEpoch + 1} or more`);
  }
  const { train, validation } = holdOut(data.train, flags.validationSplit ?? fit?.validation_split ?? 0);
  const processes = nproc > 1 ? `, ${nproc} processes (DistributedDataParallel, ${device === 'cuda' ? 'nccl' : 'gloo'})` : '';
  const backend = `torch ${python.torchVersion} ${device}${nproc > 1 ? ` x${nproc}` : ''}`;
  human.write(`engine: PyTorch ${python.torchVersion} on ${device} (${python.python})${processes}\n`);
  human.write(`data: ${data.description}\n`);
  const outputDir = flags.output ?? flags.resume;
  const configs = callbackConfigs(fit);
  for (const note of callbackNotes(configs, validation !== undefined, outputDir)) human.write(note);
  // The program reads the optimizer's state from the save itself (--load); a save without one starts the optimizer afresh.
  if (resumed && !existsSync(join(flags.resume!, TORCH_OPTIMIZER_FILE))) {
    human.write(`note: the torch engine continues ${flags.resume} from its weights after epoch ${initialEpoch}; the optimizer starts afresh ` +
      '(the save holds no PyTorch optimizer state: the tfjs engine or an older mlc wrote it)\n');
  }

  const work = mkdtempSync(join(tmpdir(), 'mlc-torch-'));
  const children: ChildProcess[] = [];
  // Ctrl-C: every process is asked to stop (rank 0 finishes a save in progress); a second one ends them at once.
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts++;
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill(interrupts === 1 ? 'SIGINT' : 'SIGKILL');
  };
  // The folder a --resume can continue from, and its last finished epoch.
  let saved: { dir: string; epoch: number } | undefined = resumed && flags.resume ? { dir: flags.resume, epoch: initialEpoch } : undefined;
  let notice: string | undefined;
  try {
    for (const [name, bytes] of Object.entries(arrayFiles({ train, validation, test: data.test }))) writeFileSync(join(work, name), bytes);
    const program = emitPyTorch(ir, facts, { specFile: spec.file });
    if (program.code === undefined) throw new RuntimeUsageError(`${spec.file}: error: ${program.diagnostics.map((d) => d.message).join('; ')}`);
    writeFileSync(join(work, 'program.py'), program.code);
    const args = [join(work, 'program.py'), '--data', `arrays:${work}`, '--epochs', String(epochs), '--batch', String(batchSize),
      // The validation split is made here, as for tfjs; the program must not hold out another.
      '--validation-split', '0', '--device', device, '--progress', 'jsonl'];
    // The program saves only for a folder to keep: without -o it writes nothing after its epochs.
    if (outputDir) args.push('-o', join(work, 'out'));
    if (seed !== undefined) args.push('--seed', String(seed));
    if (resumed) args.push('--load', flags.resume!, '--initial-epoch', String(initialEpoch));
    const port = nproc > 1 ? await freePort() : 0;
    const stderrs: (() => string)[] = [];
    const exits: Promise<number>[] = [];
    for (let rank = 0; rank < nproc; rank++) {
      const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: '1' };
      if (nproc > 1) {
        Object.assign(env, {
          MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port), WORLD_SIZE: String(nproc), RANK: String(rank),
          LOCAL_RANK: String(rank), LOCAL_WORLD_SIZE: String(nproc),
        });
      }
      const child = spawn(python.python, args, { env, stdio: ['ignore', rank === 0 ? 'pipe' : 'ignore', 'pipe'] });
      children.push(child);
      stderrs.push(tail(child));
      exits.push(new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)))));
    }
    process.on('SIGINT', onInterrupt);
    // A failed rank leaves the others waiting in a collective: stop them all.
    exits.forEach((exit) => exit.then((code) => {
      if (code !== 0) children.forEach((c) => c.exitCode === null && c.kill());
    }));

    const progress = progressFor(human as NodeJS.WriteStream);
    // Every epoch's record, the resumed run's included (a save keeps them all).
    const history: EpochRecord[] = [...(resumed?.history ?? [])];
    const report: TorchTrainReport = { backend, firstEpoch: initialEpoch + 1, epochs: history.slice(initialEpoch) };
    // The program decides which epochs model_checkpoint saves; the same decisions here give the best figure to report.
    const checkpointWatch = configs.checkpoint && new ModelCheckpoint(configs.checkpoint);
    let nonFinite: NonFiniteLossError | undefined;
    let saving = Promise.resolve();
    const source = spec.file.toLowerCase().endsWith('.json') ? undefined : spec.source;
    const lines = createInterface({ input: children[0].stdout! });
    for await (const line of lines) {
      if (!line.startsWith('{')) continue;
      let e: Event;
      try {
        e = JSON.parse(line) as Event;
      } catch {
        continue; // a line cut short by an ended process
      }
      if (e.event === 'epoch_start') progress.epochStart(e.epoch, e.epochs, e.batches);
      else if (e.event === 'batch') progress.batchEnd(e);
      else if (e.event === 'epoch_end') {
        history.push(e.record);
        report.epochs.push(e.record);
        checkpointWatch?.onEpochEnd(e.epoch - 1, e.record);
        progress.epochEnd(e.epoch, e.epochs, e.record, e.seconds);
      } else if (e.event === 'saved' && outputDir) {
        const checkpoint: Checkpoint = {
          epoch: e.epoch, epochs, history: history.slice(0, e.epoch), seed, batchSize, data: dataSpec,
          classNames: data.classNames, labelColumn: data.labelColumn, sampleWeight: flags.sampleWeight, ...(flags.reconstruct ? { reconstruct: true } : {}),
          labelMode: labelModeFor(firstLoss(ir)),
          // tfjs writes the training config (which evaluate needs) only with the optimizer: a fresh one, whose
          // moments a --resume on tfjs starts from zero.
          optimizerState: true,
        };
        report.savedEpoch = e.epoch;
        // One save at a time, in epoch order, while training goes on; each event names its own file.
        saving = saving.then(async () => {
          await saveFromTorch(e.path, outputDir, spec.ir, checkpoint, source);
          saved = { dir: outputDir, epoch: e.epoch };
        });
      } else if (e.event === 'stopped') {
        report.stoppedEpoch = e.epoch;
        human.write(stoppedLine(e.epoch));
      } else if (e.event === 'restored') {
        report.restoredEpoch = e.epoch;
        human.write(restoredLine(e.epoch, e.monitor));
      } else if (e.event === 'nonfinite') {
        nonFinite = new NonFiniteLossError(e.epoch, e.batch, Number(e.loss), explainNonFinite(ir, largestMagnitude(train)));
      } else if (e.event === 'replicas') report.replicaMaxDifference = e.maxDifference;
      else if (e.event === 'test') {
        report.test = e.scores;
        human.write(`test: ${formatScores(e.scores)} (${e.count} samples)\n`);
      }
    }
    // After the replica check, the last collective, every rank's work is done. Leaving the group can still hang
    // a rank in torch 1.13's gloo (seen under load: rank 1 waiting forever once rank 0 had exited), so a rank
    // still running a while after rank 0's output has ended is stopped, and counts as finished.
    const lingering = new Set<ChildProcess>();
    const grace = report.replicaMaxDifference === undefined ? undefined : setTimeout(() => {
      for (const c of children.slice(1)) {
        if (c.exitCode !== null || c.signalCode !== null) continue;
        lingering.add(c);
        c.kill('SIGKILL');
      }
    }, RANK_EXIT_GRACE_MS);
    const codes = (await Promise.all(exits)).map((code, rank) => (lingering.has(children[rank]) ? 0 : code));
    clearTimeout(grace);
    await saving;
    if (interrupts > 0) {
      const engineArgs = ['--engine', 'torch', ...(nproc > 1 ? ['--nproc', String(nproc)] : []), ...(flags.device ? ['--device', flags.device] : [])];
      notice = interruptNotice(spec.file, { ...flags, backend: 'auto' }, saved, epochs, engineArgs);
      return report;
    }
    if (nonFinite) throw nonFinite;
    const failed = codes.findIndex((c) => c !== 0);
    if (failed >= 0) {
      const message = stderrs[failed]().split('\n').filter((l) => l.trim() !== '').pop() ?? `exit status ${codes[failed]}`;
      if (codes[failed] === EXIT_USER_ERROR && message.startsWith('error: ')) throw new RuntimeUsageError(`${spec.file}: ${message}`);
      throw new Error(`the PyTorch program failed on rank ${failed} (exit status ${codes[failed]}${codes[failed] === EXIT_NONFINITE ? ', non-finite loss' : ''}): ${message}`);
    }
    if (report.replicaMaxDifference !== undefined) {
      human.write(`processes: ${nproc}; largest difference between their weights after training: ${report.replicaMaxDifference}\n`);
    }
    if (outputDir) human.write(savedLine(outputDir, report.savedEpoch ?? (resumed && flags.resume === outputDir ? initialEpoch : undefined), history.length, checkpointWatch));
    return report;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    children.forEach((c) => c.exitCode === null && c.kill());
    rmSync(work, { recursive: true, force: true });
    if (notice !== undefined) {
      // As the tfjs engine ends on Ctrl-C (run-train.ts): the progress bar's cursor back, the notice, status 130.
      if (human.isTTY) human.write('\x1b[?25h');
      process.stderr.write(`\n${notice}\n`);
      process.exit(EXIT_INTERRUPTED);
    }
  }
}

/** The checkpoint of a save to resume, checked as the tfjs engine checks it (the spec must describe the saved model). */
async function readResumed(dir: string, spec: CheckedSpec): Promise<Checkpoint> {
  const { selectBackend } = await import('../../runtime/backend/select.js');
  const { tf } = (await selectBackend('cpu')) as unknown as { tf: import('../../runtime/tf.js').TF };
  const { loadModelDir } = await import('../../runtime/saved-model.js');
  const saved = await loadModelDir(tf, dir);
  saved.model.dispose();
  if (!sameModel(saved.ir, spec.ir)) {
    throw new RuntimeUsageError(`${spec.file}: error: the spec's model differs from the one saved in ${dir}\n` +
      'help: resume with the spec the checkpoint was trained from (it is saved beside it as spec.model)');
  }
  return saved.checkpoint;
}
