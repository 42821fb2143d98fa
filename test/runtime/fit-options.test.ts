/**
 * The training options against Keras's definitions: each schedule's formula
 * (keras.optimizers.schedules docstrings and worked values), the learning
 * rate the loop applies per batch, EarlyStopping / ReduceLROnPlateau as
 * keras/src/callbacks defines them, and class weights in the loss
 * (sum over the batch of weight * loss, divided by the batch size).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EarlyStopping, ReduceLROnPlateau } from '../../src/runtime/fit/callbacks.js';
import { sampleWeightsFromClasses } from '../../src/runtime/fit/class-weights.js';
import { learningRateAt, type ScheduleConfig } from '../../src/runtime/fit/schedules.js';
import { buildModel, compileModel } from '../../src/runtime/model.js';
import { objectiveOf } from '../../src/runtime/objective.js';
import { train } from '../../src/runtime/train.js';
import type { IR } from '../../src/ir/types.js';
import { blobs, chainIR, dense, testTf } from './helpers.js';

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} != ${b}`);
const schedule = (name: string, args: Record<string, unknown>): ScheduleConfig => ({ name, args });

describe('learning-rate schedules equal Keras 3', () => {
  it('exponential_decay: initial * rate^(step/decay_steps), floored with staircase', () => {
    const s = schedule('exponential_decay', { initial_learning_rate: 0.1, decay_steps: 1000, decay_rate: 0.96, staircase: false });
    for (const step of [0, 1, 500, 1000, 2500]) close(learningRateAt(s, step), 0.1 * 0.96 ** (step / 1000), `step ${step}`);
    close(learningRateAt({ ...s, args: { ...s.args, staircase: true } }, 2500), 0.1 * 0.96 ** 2, 'staircase');
  });

  it('inverse_time_decay: initial / (1 + rate * step / decay_steps)', () => {
    const s = schedule('inverse_time_decay', { initial_learning_rate: 0.1, decay_steps: 1, decay_rate: 0.5, staircase: false });
    close(learningRateAt(s, 2), 0.05, 'step 2');
    close(learningRateAt({ ...s, args: { ...s.args, decay_steps: 4, staircase: true } }, 7), 0.1 / 1.5, 'staircase');
  });

  it('polynomial_decay: the docstring example, the end rate after decay_steps, and cycling', () => {
    const s = schedule('polynomial_decay', { initial_learning_rate: 0.1, decay_steps: 10000, end_learning_rate: 0.01, power: 0.5, cycle: false });
    close(learningRateAt(s, 5000), 0.09 * Math.sqrt(0.5) + 0.01, 'half way');
    close(learningRateAt(s, 20000), 0.01, 'after decay_steps');
    const cyc = { ...s, args: { ...s.args, power: 1, cycle: true } };
    // step 15000 with cycle: decay_steps becomes 20000.
    close(learningRateAt(cyc, 15000), 0.09 * (1 - 15000 / 20000) + 0.01, 'cycled');
    close(learningRateAt(cyc, 0), 0.1, 'step 0');
  });

  it('cosine_decay: half a cosine to alpha, with a linear warm-up to warmup_target', () => {
    const s = schedule('cosine_decay', { initial_learning_rate: 1, decay_steps: 10, alpha: 0, warmup_steps: 0 });
    close(learningRateAt(s, 5), 0.5, 'middle');
    close(learningRateAt(s, 10), 0, 'end');
    close(learningRateAt(s, 50), 0, 'after the end');
    const alpha = { ...s, args: { ...s.args, alpha: 0.1 } };
    close(learningRateAt(alpha, 10), 0.1, 'alpha floor');
    const warm = schedule('cosine_decay', { initial_learning_rate: 0, decay_steps: 10, alpha: 0, warmup_target: 0.1, warmup_steps: 4 });
    close(learningRateAt(warm, 2), 0.05, 'warm-up');
    close(learningRateAt(warm, 4), 0.1, 'warm-up target');
    close(learningRateAt(warm, 9), 0.1 * 0.5 * (1 + Math.cos(Math.PI * 0.5)), 'decaying from the target');
  });

  it('piecewise_constant_decay: values[i] while step <= boundaries[i] (the docstring example)', () => {
    const s = schedule('piecewise_constant_decay', { boundaries: [100000, 110000], values: [1, 0.5, 0.1] });
    assert.deepEqual([0, 100000, 100001, 110000, 110001].map((step) => learningRateAt(s, step)), [1, 1, 0.5, 0.5, 0.1]);
  });
});

async function setup(ir: IR, seed = 3) {
  const tf = await testTf();
  const model = buildModel(tf, ir, { seed });
  const compiled = compileModel(tf, model, ir);
  return { tf, model, compiled, objective: objectiveOf(tf, model, ir), seed };
}

const classifier = (learningRate: unknown, optimizer = 'sgd'): IR =>
  chainIR('blobs', [12], 'float32', [dense('dense', 8, 'relu'), dense('dense_1', 3, 'softmax')], {
    loss: 'categorical_crossentropy', optimizer: { name: optimizer, args: { learning_rate: learningRate as number } }, metrics: ['accuracy'],
  });

describe('training with a schedule', () => {
  it('records the learning rate of each epoch as Keras computes it for the next step', async () => {
    const s = schedule('exponential_decay', { initial_learning_rate: 0.05, decay_steps: 3, decay_rate: 0.5, staircase: false });
    const opts = await setup(classifier(s, 'adam'));
    assert.equal(opts.compiled.optimizer.args[0], 0.05, 'the optimizer starts at the rate of step 0');
    // 96 samples in batches of 32: 3 steps per epoch.
    const { epochs } = await train({ ...opts, train: blobs(96, 12, 3), epochs: 3, batchSize: 32, shuffle: false, schedule: s, recordLearningRate: true });
    epochs.forEach((e, i) => close(e.learning_rate, 0.05 * 0.5 ** ((3 * (i + 1)) / 3), `epoch ${i + 1}`));
    opts.model.dispose();
  });

  it('applies the rate before each batch: after piecewise drops it to 0 the weights stop moving', async () => {
    const s = schedule('piecewise_constant_decay', { boundaries: [2], values: [0.5, 0] });
    const opts = await setup(classifier(s));
    const snapshots: number[][] = [];
    // 4 steps per epoch: steps 0-2 learn, step 3 onwards has rate 0.
    await train({
      ...opts, train: blobs(128, 12, 3), epochs: 3, batchSize: 32, shuffle: false, schedule: s,
      onEpochEnd: () => void snapshots.push(Array.from(opts.model.getWeights()[0].dataSync())),
    });
    assert.deepEqual(snapshots[1], snapshots[0]);
    assert.deepEqual(snapshots[2], snapshots[0]);
    opts.model.dispose();
  });
});

describe('callbacks follow keras/src/callbacks', () => {
  it('EarlyStopping: waits `patience` epochs without improvement, remembers the best epoch', () => {
    const es = new EarlyStopping({ monitor: 'val_loss', direction: 'min', minDelta: 0, patience: 2, restoreBestWeights: true, startFromEpoch: 0 });
    const losses = [1.0, 0.8, 0.9, 0.95];
    const steps = losses.map((v, epoch) => es.onEpochEnd(epoch, { val_loss: v }));
    assert.deepEqual(steps.map((s) => s.stop), [false, false, false, true]);
    assert.deepEqual(steps.map((s) => s.keepWeights), [true, true, false, false]);
    assert.equal(es.stoppedEpoch, 3);
    assert.equal(es.bestEpoch, 1);
  });

  it('EarlyStopping: min_delta, max mode, a baseline that is never beaten', () => {
    const es = new EarlyStopping({ monitor: 'val_accuracy', direction: 'max', minDelta: 0.05, patience: 1, restoreBestWeights: false, startFromEpoch: 0 });
    assert.equal(es.onEpochEnd(0, { val_accuracy: 0.5 }).stop, false);
    assert.equal(es.onEpochEnd(1, { val_accuracy: 0.54 }).stop, true, '0.04 is less than min_delta');
    const base = new EarlyStopping({ monitor: 'loss', direction: 'min', minDelta: 0, patience: 2, baseline: 0.1, restoreBestWeights: false, startFromEpoch: 0 });
    // Improving epochs never stop training, but waiting goes on until the baseline is beaten.
    assert.deepEqual([0.5, 0.4, 0.45].map((v, e) => base.onEpochEnd(e, { loss: v }).stop), [false, false, true]);
  });

  it('ReduceLROnPlateau: multiplies by factor after patience, then cools down; never below min_lr', () => {
    const rp = new ReduceLROnPlateau({ monitor: 'val_loss', direction: 'min', factor: 0.5, patience: 2, minDelta: 1e-4, cooldown: 1, minLr: 0.02 });
    let lr = 0.1;
    const rates = [1, 1, 1, 1, 1, 1, 1].map((v, epoch) => (lr = rp.onEpochEnd(epoch, { val_loss: v }, lr)));
    // Traced by hand through ReduceLROnPlateau.on_epoch_end; the last reduction is clamped at min_lr.
    assert.deepEqual(rates, [0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02]);
    assert.equal(rp.onEpochEnd(7, { val_loss: 1 }, 0.02), 0.02);
    assert.equal(rp.onEpochEnd(8, { val_loss: 1 }, 0.02), 0.02, 'not reduced below min_lr');
  });

  it('early stopping stops training and puts back the weights of the best epoch', async () => {
    // A learning rate of 0 leaves val_loss where it starts: no epoch after the first improves on it.
    const opts = await setup(classifier(0));
    const es = new EarlyStopping({ monitor: 'val_loss', direction: 'min', minDelta: 0, patience: 2, restoreBestWeights: true, startFromEpoch: 0 });
    const result = await train({ ...opts, train: blobs(64, 12, 3), validation: blobs(32, 12, 3, 5), epochs: 10, batchSize: 32, shuffle: false, earlyStopping: es });
    assert.equal(result.epochs.length, 3);
    assert.equal(result.stoppedEpoch, 3);
    assert.equal(result.restoredEpoch, 1);
    opts.model.dispose();
  });

  it('restore_best_weights leaves the model with the best epoch weights, not the last', async () => {
    const opts = await setup(classifier(0.5));
    const weights: number[][] = [];
    const es = new EarlyStopping({ monitor: 'loss', direction: 'max', minDelta: 0, patience: 1, restoreBestWeights: true, startFromEpoch: 0 });
    // Monitoring the training loss as "higher is better" makes the first epoch the best, so training stops at epoch 2.
    const result = await train({
      ...opts, train: blobs(64, 12, 3), epochs: 5, batchSize: 16, shuffle: false, earlyStopping: es,
      onEpochEnd: () => void weights.push(Array.from(opts.model.getWeights()[0].dataSync())),
    });
    assert.equal(result.stoppedEpoch, 2);
    assert.equal(result.restoredEpoch, 1);
    assert.notDeepEqual(weights[1], weights[0]);
    assert.deepEqual(Array.from(opts.model.getWeights()[0].dataSync()), weights[0]);
    opts.model.dispose();
  });
});

describe('class weights', () => {
  it('balanced: n_samples / (n_classes * count), from one-hot or index labels', () => {
    // 6 samples: class 0 four times, class 1 twice -> 6/(2*4) = 0.75 and 6/(2*2) = 1.5.
    assert.deepEqual(Array.from(sampleWeightsFromClasses('balanced', [0, 0, 1, 0, 1, 0], 6)), [0.75, 0.75, 1.5, 0.75, 1.5, 0.75]);
    // One-hot rows [1, 0], [1, 0], [0, 1]: classes 0, 0, 1.
    assert.deepEqual(Array.from(sampleWeightsFromClasses('balanced', [1, 0, 1, 0, 0, 1], 3)), [0.75, 0.75, 1.5]);
    assert.deepEqual(Array.from(sampleWeightsFromClasses({ '1': 5 }, [0, 1, 1, 2], 4)), [1, 5, 5, 1], 'classes left out weigh 1');
  });

  it('weigh each sample loss: the epoch loss is sum(w * loss) / n, as Keras reduces it', async () => {
    const opts = await setup(classifier(1e-30));
    const data = blobs(30, 12, 3);
    const { tf, model } = opts;
    const probs = (model.predict(tf.tensor(data.xs[0]!.values, data.xs[0]!.shape)) as ReturnType<typeof tf.tensor>).arraySync() as number[][];
    const labels = Array.from({ length: 30 }, (_, i) => i % 3);
    const losses = probs.map((p, i) => -Math.log(p[labels[i]]));
    const weights = Float32Array.from(labels, (c) => [1, 5, 0.5][c]);
    const expected = losses.reduce((sum, l, i) => sum + weights[i] * l, 0) / 30;
    const plain = losses.reduce((sum, l) => sum + l, 0) / 30;
    const weighted = await train({ ...opts, train: data, epochs: 1, batchSize: 30, shuffle: false, sampleWeights: weights });
    assert.ok(Math.abs(weighted.epochs[0].loss - expected) < 1e-5, `${weighted.epochs[0].loss} vs ${expected}`);
    assert.ok(Math.abs(expected - plain) > 1e-2, 'the weights change the loss');
    opts.model.dispose();
  });
});
