/**
 * The decisions of Keras 3's EarlyStopping, ModelCheckpoint(save_best_only)
 * and ReduceLROnPlateau callbacks, as state machines over each epoch's logs
 * (keras/src/callbacks/*.py). They hold no tensors: the training loop acts on
 * what they decide (stop, keep a copy of the weights, save, change the rate).
 * Epochs are 0-based here, as Keras counts them.
 */

/** Logs of one epoch: `loss`, metrics, and `val_` ones, as Keras names them. */
export type EpochLogs = Record<string, number>;

/** Whether higher values of the monitored figure are better: `mode`, with `auto` resolved by the caller from the figure. */
export type Direction = 'min' | 'max';

export interface EarlyStoppingConfig {
  monitor: string;
  direction: Direction;
  minDelta: number;
  patience: number;
  baseline?: number;
  restoreBestWeights: boolean;
  startFromEpoch: number;
}

export interface EarlyStoppingStep {
  /** Copy the current weights: they are the best so far (only with restoreBestWeights). */
  keepWeights: boolean;
  /** Stop after this epoch. */
  stop: boolean;
}

export class EarlyStopping {
  private wait = 0;
  private best: number | undefined;
  private haveWeights = false;
  /** The 0-based epoch of the best figure so far (Keras's best_epoch). */
  bestEpoch = 0;
  /** The 0-based epoch training stopped at, or undefined. */
  stoppedEpoch: number | undefined;
  /** Whether the figure was ever missing from the logs (no validation data). */
  missing = false;

  constructor(readonly config: EarlyStoppingConfig) {}

  private improves(value: number, reference: number | undefined): boolean {
    if (reference === undefined) return true;
    const { direction, minDelta } = this.config;
    return direction === 'max' ? value - minDelta > reference : value + minDelta < reference;
  }

  onEpochEnd(epoch: number, logs: EpochLogs): EarlyStoppingStep {
    const current = logs[this.config.monitor];
    const none = { keepWeights: false, stop: false };
    if (current === undefined) {
      this.missing = true;
      return none;
    }
    if (epoch < this.config.startFromEpoch) return none;
    let keepWeights = false;
    if (this.config.restoreBestWeights && !this.haveWeights) {
      // The first watched epoch's weights are the best until one improves on them.
      keepWeights = this.haveWeights = true;
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.improves(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.config.restoreBestWeights) keepWeights = true;
      // Only restart waiting when both the baseline and the previous best are beaten.
      if (this.config.baseline === undefined || this.improves(current, this.config.baseline)) this.wait = 0;
      return { keepWeights, stop: false };
    }
    if (this.wait >= this.config.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      return { keepWeights, stop: true };
    }
    return { keepWeights, stop: false };
  }

  /** Whether the weights of bestEpoch are to be put back when training ends (Keras 3 does so whether or not it stopped early). */
  get restores(): boolean {
    return this.config.restoreBestWeights && this.haveWeights;
  }
}

export interface CheckpointConfig {
  monitor: string;
  direction: Direction;
  saveBestOnly: boolean;
  initialValueThreshold?: number;
}

/** ModelCheckpoint's choice of which epochs to save. */
export class ModelCheckpoint {
  private best: number | undefined;
  /** The 0-based epoch last saved. */
  savedEpoch: number | undefined;
  missing = false;

  constructor(readonly config: CheckpointConfig) {
    this.best = config.initialValueThreshold;
  }

  /** Whether to save the model as it is after this epoch. */
  onEpochEnd(epoch: number, logs: EpochLogs): boolean {
    if (!this.config.saveBestOnly) {
      this.savedEpoch = epoch;
      return true;
    }
    const current = logs[this.config.monitor];
    if (current === undefined) {
      this.missing = true;
      return false;
    }
    const better = this.best === undefined || (this.config.direction === 'max' ? current > this.best : current < this.best);
    if (!better) return false;
    this.best = current;
    this.savedEpoch = epoch;
    return true;
  }

  /** The best figure saved so far. */
  get bestValue(): number | undefined {
    return this.best;
  }
}

export interface PlateauConfig {
  monitor: string;
  direction: Direction;
  factor: number;
  patience: number;
  minDelta: number;
  cooldown: number;
  minLr: number;
}

/** ReduceLROnPlateau: the learning rate for the next epoch. */
export class ReduceLROnPlateau {
  private wait = 0;
  private cooldownCounter = 0;
  private best: number;
  missing = false;

  constructor(readonly config: PlateauConfig) {
    this.best = config.direction === 'max' ? -Infinity : Infinity;
  }

  onEpochEnd(epoch: number, logs: EpochLogs, lr: number): number {
    const current = logs[this.config.monitor];
    if (current === undefined) {
      this.missing = true;
      return lr;
    }
    const { direction, minDelta } = this.config;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    const better = direction === 'max' ? current > this.best + minDelta : current < this.best - minDelta;
    if (better) {
      this.best = current;
      this.wait = 0;
      return lr;
    }
    if (this.cooldownCounter > 0) return lr;
    this.wait += 1;
    // Keras compares with the float32 rounding of min_lr.
    if (this.wait < this.config.patience || !(lr > Math.fround(this.config.minLr))) return lr;
    this.cooldownCounter = this.config.cooldown;
    this.wait = 0;
    return Math.max(lr * this.config.factor, this.config.minLr);
  }
}
