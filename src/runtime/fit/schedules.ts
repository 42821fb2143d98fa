/**
 * Keras 3's learning-rate schedules (keras.optimizers.schedules), as plain
 * functions of the optimizer's step: the number of batches trained before
 * the update, so the first batch uses the rate at step 0. The formulas follow
 * keras/src/optimizers/schedules/learning_rate_schedule.py line by line.
 * This folder imports nothing, so `mlc emit` copies it into emitted projects.
 */

/** A schedule as the IR holds it: {name: "exponential_decay", args: {initial_learning_rate: 0.001, ...}}. */
export interface ScheduleConfig {
  name: string;
  args: Record<string, unknown>;
}

function num(config: ScheduleConfig, key: string, fallback?: number): number {
  const v = config.args[key];
  if (typeof v === 'number') return v;
  if (fallback !== undefined) return fallback;
  throw new Error(`the schedule ${config.name} needs a number \`${key}\``);
}

/** The learning rate at `step` (0-based count of batches already trained). */
export function learningRateAt(schedule: ScheduleConfig, step: number): number {
  switch (schedule.name) {
    case 'exponential_decay': {
      let p = step / num(schedule, 'decay_steps');
      if (schedule.args.staircase === true) p = Math.floor(p);
      return num(schedule, 'initial_learning_rate') * Math.pow(num(schedule, 'decay_rate'), p);
    }
    case 'inverse_time_decay': {
      let p = step / num(schedule, 'decay_steps');
      if (schedule.args.staircase === true) p = Math.floor(p);
      return num(schedule, 'initial_learning_rate') / (1 + num(schedule, 'decay_rate') * p);
    }
    case 'polynomial_decay': {
      const initial = num(schedule, 'initial_learning_rate');
      const end = num(schedule, 'end_learning_rate', 0.0001);
      const power = num(schedule, 'power', 1);
      let decaySteps = num(schedule, 'decay_steps');
      let s = step;
      if (schedule.args.cycle === true) decaySteps *= s === 0 ? 1 : Math.ceil(s / decaySteps);
      else s = Math.min(s, decaySteps);
      return (initial - end) * Math.pow(1 - s / decaySteps, power) + end;
    }
    case 'cosine_decay': {
      const initial = num(schedule, 'initial_learning_rate');
      const decaySteps = num(schedule, 'decay_steps');
      const alpha = num(schedule, 'alpha', 0);
      const decay = (s: number, from: number) => from * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * (s / decaySteps))) + alpha);
      const target = schedule.args.warmup_target;
      if (typeof target !== 'number') return decay(Math.min(step, decaySteps), initial);
      const warmupSteps = num(schedule, 'warmup_steps', 0);
      const s = Math.min(step, decaySteps + warmupSteps);
      return s < warmupSteps ? (target - initial) * (s / warmupSteps) + initial : decay(s - warmupSteps, target);
    }
    case 'piecewise_constant_decay': {
      const boundaries = schedule.args.boundaries as number[];
      const values = schedule.args.values as number[];
      // values[i] holds while step <= boundaries[i].
      const i = boundaries.findIndex((b) => step <= b);
      return values[i < 0 ? boundaries.length : i];
    }
    default:
      throw new Error(`unknown learning-rate schedule \`${schedule.name}\``);
  }
}

/** The structural part of a TensorFlow.js optimizer that holds its learning rate. */
interface HasLearningRate {
  learningRate?: unknown;
  setLearningRate?: (lr: number) => void;
}

/**
 * Changes a TensorFlow.js optimizer's learning rate for its next updates.
 * sgd and momentum cache the rate as a tensor (setLearningRate replaces it);
 * the others read the `learningRate` field on every update.
 */
export function setLearningRate(optimizer: object, lr: number): void {
  const o = optimizer as HasLearningRate;
  if (o.learningRate === lr) return;
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}

/** The optimizer's current learning rate. */
export function learningRateOf(optimizer: object): number {
  const lr = (optimizer as HasLearningRate).learningRate;
  if (typeof lr !== 'number') throw new Error('this optimizer has no numeric learning rate');
  return lr;
}
