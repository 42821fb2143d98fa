/**
 * The training loop. A custom loop rather than `model.fit`: the data is
 * uploaded once, each batch is a device-side gather through a seeded
 * permutation, loss and metric sums stay on the device and are read in one
 * small transfer per report, and a non-finite loss stops training at the
 * batch where it appeared.
 */
import { learningRateAt, learningRateOf, setLearningRate, type ScheduleConfig } from './fit/schedules.js';
import type { EarlyStopping, ReduceLROnPlateau } from './fit/callbacks.js';
import { DiagnosticError, error } from '../diagnostics/diagnostic.js';
import { applyModel, evaluateTensors } from './evaluate.js';
import { batchSums, scoresFrom, sumsWidth, totalLoss, type Objective, type Scores } from './objective.js';
import { epochRandom, permutation } from './fit/random.js';
import { disposeTensors, toTensors, type MultiSplit, type SplitTensors } from './split-tensors.js';
import type { LayersModel, Scalar, Tensor, TF } from './tf.js';

/** One epoch's figures, named as Keras's History names them (`loss`, `accuracy`, `val_loss`, ...). */
export type EpochRecord = Record<string, number> & { samplesPerSec: number };

export interface BatchReport {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  /** Running means over the epoch so far. */
  scores: Scores;
  samplesPerSec: number;
}

/** Receives progress; see ./progress.ts. */
export interface ProgressSink {
  epochStart(epoch: number, epochs: number, batches: number): void;
  batchEnd(report: BatchReport): void;
  epochEnd(epoch: number, epochs: number, record: EpochRecord, seconds: number): void;
}

/** Thrown when the loss becomes NaN or infinite; the message names where and the likely cause. */
export class NonFiniteLossError extends DiagnosticError {
  constructor(readonly epoch: number, readonly batch: number, readonly loss: number, readonly hint: string) {
    const what = `the loss became ${Number.isNaN(loss) ? 'NaN' : loss > 0 ? 'infinite' : '-infinite'} at epoch ${epoch}, batch ${batch}`;
    super(error('E-NONFINITE-LOSS', `${what}; training stopped`, undefined, hint || undefined));
  }
}

export interface TrainOptions {
  tf: TF;
  /** Compiled (see compileModel). */
  model: LayersModel;
  objective: Objective;
  train: MultiSplit;
  validation?: MultiSplit;
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  /** Makes the shuffling order reproducible. */
  seed?: number;
  /** Epochs already done (resuming): training runs from epoch initialEpoch + 1 to `epochs`. */
  initialEpoch?: number;
  progress?: ProgressSink;
  /** Called after each epoch, e.g. to write a checkpoint; awaited before the next epoch. */
  onEpochEnd?: (epoch: number, record: EpochRecord) => Promise<void> | void;
  /** Explains a non-finite loss (see diagnoseNonFinite). */
  explainNonFinite?: () => string;
  /** Read the running loss back every this many batches (default 1); a NaN is caught within this many batches. */
  readEvery?: number;
  /** A Keras learning-rate schedule: the rate is set from it before every batch. */
  schedule?: ScheduleConfig;
  /** Add `learning_rate` (the rate as the epoch ends, before any callback changes it) to every record. */
  recordLearningRate?: boolean;
  /** The fit section's callbacks that steer training. */
  earlyStopping?: EarlyStopping;
  reduceLrOnPlateau?: ReduceLROnPlateau;
  /** One weight per training sample (class_weight or sample_weight): the loss is Σ w·loss / batch size, as in Keras. */
  sampleWeights?: Float32Array;
}

export interface TrainResult {
  /** One record per epoch run in this call. */
  epochs: EpochRecord[];
  /** The epoch early stopping ended training at, when it did. */
  stoppedEpoch?: number;
  /** The epoch whose weights early stopping put back at the end (restore_best_weights). */
  restoredEpoch?: number;
}

function withPrefix(scores: Scores, prefix: string): Record<string, number> {
  return Object.fromEntries(Object.entries(scores).map(([k, v]) => [prefix + k, v]));
}

export async function train(opts: TrainOptions): Promise<TrainResult> {
  const { tf, model, objective } = opts;
  const optimizer = model.optimizer;
  const readEvery = Math.max(1, opts.readEvery ?? 1);
  const trainT = toTensors(tf, opts.train);
  const weightsT = opts.sampleWeights ? tf.tensor1d(opts.sampleWeights, 'float32') : undefined;
  const valT = opts.validation ? toTensors(tf, opts.validation) : undefined;
  const batches = Math.ceil(trainT.count / opts.batchSize);
  const records: EpochRecord[] = [];
  const result: TrainResult = { epochs: records };
  const early = opts.earlyStopping;
  let bestWeights: Tensor[] | undefined;
  const keepWeights = () => {
    bestWeights?.forEach((w) => w.dispose());
    bestWeights = model.getWeights().map((w) => w.clone());
  };
  try {
    for (let epoch = (opts.initialEpoch ?? 0) + 1; epoch <= opts.epochs; epoch++) {
      opts.progress?.epochStart(epoch, opts.epochs, batches);
      const started = performance.now();
      const random = epochRandom(opts.seed, epoch);
      const sums = await runEpoch(opts, trainT, weightsT, epoch, batches, random, readEvery, optimizer);
      const seconds = (performance.now() - started) / 1000;
      const samplesPerSec = trainT.count / Math.max(seconds, 1e-9);
      let record: EpochRecord = { ...scoresFrom(objective, sums, trainT.count), samplesPerSec };
      if (valT) {
        const val = await evaluateTensors(tf, model, objective, valT, opts.batchSize);
        record = { ...record, ...withPrefix(val, 'val_') };
      }
      // Keras's optimizer.learning_rate after the epoch: a schedule's rate at the next step.
      if (opts.recordLearningRate) record.learning_rate = opts.schedule ? learningRateAt(opts.schedule, epoch * batches) : learningRateOf(optimizer);
      const plateau = opts.reduceLrOnPlateau;
      if (plateau) setLearningRate(optimizer, plateau.onEpochEnd(epoch - 1, record, learningRateOf(optimizer)));
      const step = early?.onEpochEnd(epoch - 1, record);
      if (step?.keepWeights) keepWeights();
      records.push(record);
      opts.progress?.epochEnd(epoch, opts.epochs, record, seconds);
      await opts.onEpochEnd?.(epoch, record);
      if (step?.stop) {
        result.stoppedEpoch = epoch;
        break;
      }
    }
    if (early?.restores && bestWeights) {
      model.setWeights(bestWeights);
      result.restoredEpoch = early.bestEpoch + 1;
    }
  } finally {
    disposeTensors(trainT);
    weightsT?.dispose();
    if (valT) disposeTensors(valT);
    bestWeights?.forEach((w) => w.dispose());
  }
  return result;
}

async function runEpoch(
  opts: TrainOptions, data: SplitTensors, weights: Tensor | undefined, epoch: number, batches: number,
  random: () => number, readEvery: number, optimizer: LayersModel['optimizer'],
): Promise<number[]> {
  const { tf, model, objective, batchSize } = opts;
  const order = opts.shuffle ? permutation(data.count, random) : null;
  const orderT = order ? tf.tensor1d(order, 'int32') : null;
  const totals = new Array<number>(sumsWidth(objective)).fill(0);
  let pending: Tensor[] = [];
  let firstPending = 1;
  let seen = 0;
  const started = performance.now();
  // Reads the queued per-batch sums in one transfer; stops at the first non-finite loss.
  const drain = async (): Promise<void> => {
    if (pending.length === 0) return;
    const stacked = tf.stack(pending);
    const values = await stacked.data();
    stacked.dispose();
    pending.forEach((t) => t.dispose());
    const width = totals.length;
    for (let b = 0; b < pending.length; b++) {
      const loss = values[b * width];
      if (!Number.isFinite(loss)) {
        throw new NonFiniteLossError(epoch, firstPending + b, loss, opts.explainNonFinite?.() ?? '');
      }
      for (let k = 0; k < width; k++) totals[k] += values[b * width + k];
    }
    firstPending += pending.length;
    pending = [];
  };
  try {
    for (let b = 0; b < batches; b++) {
      const start = b * batchSize;
      const size = Math.min(batchSize, data.count - start);
      // Keras's step: the batches trained before this one, counted from the first epoch.
      if (opts.schedule) setLearningRate(optimizer, learningRateAt(opts.schedule, (epoch - 1) * batches + b));
      const batchSum = tf.tidy(() => {
        const indices = orderT?.slice(start, size);
        const take = (t: Tensor) => (indices ? tf.gather(t, indices) : t.slice(start, size));
        const xb = data.xs.map(take);
        const yb = data.ys.map(take);
        const wb = weights ? take(weights) : undefined;
        let sums: Tensor | undefined;
        optimizer.minimize(() => {
          const pred = applyModel(model, xb, true);
          // Class or sample weights scale each sample's loss (all of its values, for an output of several dimensions);
          // the mean over the batch is Keras's sum_over_batch_size.
          const perSample = objective.outputs.map((o, i) => {
            const loss = o.loss(yb[i], pred[i]);
            return wb ? loss.mul(wb.reshape([size, ...Array<number>(loss.rank - 1).fill(1)])) : loss;
          });
          sums = tf.keep(batchSums(tf, objective, yb, pred, perSample));
          return totalLoss(objective, perSample) as Scalar;
        });
        return sums!;
      });
      pending.push(batchSum);
      seen += size;
      if (pending.length >= readEvery || b === batches - 1) {
        await drain();
        const elapsed = (performance.now() - started) / 1000;
        opts.progress?.batchEnd({
          epoch, epochs: opts.epochs, batch: b + 1, batches,
          scores: scoresFrom(objective, totals, seen), samplesPerSec: seen / Math.max(elapsed, 1e-9),
        });
        // Reading results back may resolve without leaving the microtask queue;
        // a turn of the event loop lets Ctrl-C (and terminal resizes) through.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  } finally {
    pending.forEach((t) => t.dispose());
    orderT?.dispose();
  }
  return totals;
}
