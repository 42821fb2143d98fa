/**
 * The fit section on the torch engine, against the definitions the tfjs
 * engine follows (src/runtime/fit/, each tested against Keras in
 * test/runtime/fit-options.test.ts): the emitted program's schedules,
 * callbacks and class weights decide as those do on the same inputs; a run
 * stops, restores and keeps the same epochs as on tfjs; the learning rate
 * reported per epoch is Keras's formula; class weights scale the loss as
 * Keras does; graphs of several inputs and outputs train, save, evaluate and
 * predict; --resume goes on from a save.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EarlyStopping, ModelCheckpoint, ReduceLROnPlateau } from '../../src/runtime/fit/callbacks.js';
import { sampleWeightsFromClasses } from '../../src/runtime/fit/class-weights.js';
import { learningRateAt, type ScheduleConfig } from '../../src/runtime/fit/schedules.js';
import { skipWithoutTorch, torchPython } from './helpers.js';

function mlc(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Report {
  firstEpoch: number;
  epochs: Record<string, number>[];
  stoppedEpoch?: number;
  restoredEpoch?: number;
  savedEpoch?: number;
  test?: Record<string, number>;
}

const lastJson = <T = Report>(stdout: string): T => JSON.parse(stdout.trim().split('\n').pop()!) as T;

const scratch = mkdtempSync(join(tmpdir(), 'mlc-torch-fit-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `script` in Python with the emitted program of `spec` imported as `m`; returns what it prints as JSON. */
function inProgram(spec: string, script: string, input: unknown): unknown {
  const program = join(scratch, `${spec.replace(/\W/g, '_')}.py`);
  const emitted = mlc(['emit', spec, '--target', 'pytorch', '-o', program]);
  assert.equal(emitted.status, 0, emitted.stderr);
  const r = spawnSync(torchPython!.python, ['-c', [
    'import importlib.util, json, sys, torch',
    'spec = importlib.util.spec_from_file_location("program", sys.argv[1]); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
    'data = json.loads(sys.argv[2])',
    script,
  ].join('\n'), program, JSON.stringify(input)], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

/** A spec of 784 inputs (the bundled digits) with the given compile and fit lines. */
function digitsSpec(name: string, compile: string, fit: string): string {
  const file = join(scratch, `${name}.model`);
  writeFileSync(file, `model ${name}\ninput 784\ndense 16 relu\ndense 10 softmax\n${compile}\n${fit}\n`);
  return file;
}

describe('the emitted program decides as src/runtime/fit does', { skip: skipWithoutTorch('the emitted fit helpers') }, () => {
  const schedules: ScheduleConfig[] = [
    { name: 'exponential_decay', args: { initial_learning_rate: 0.1, decay_steps: 7, decay_rate: 0.96, staircase: false } },
    { name: 'exponential_decay', args: { initial_learning_rate: 0.1, decay_steps: 7, decay_rate: 0.5, staircase: true } },
    { name: 'inverse_time_decay', args: { initial_learning_rate: 0.1, decay_steps: 4, decay_rate: 0.5, staircase: true } },
    { name: 'polynomial_decay', args: { initial_learning_rate: 0.1, decay_steps: 10, end_learning_rate: 0.01, power: 0.5, cycle: false } },
    { name: 'polynomial_decay', args: { initial_learning_rate: 0.1, decay_steps: 10, end_learning_rate: 0.01, power: 1, cycle: true } },
    { name: 'cosine_decay', args: { initial_learning_rate: 1, decay_steps: 10, alpha: 0.1, warmup_steps: 0 } },
    { name: 'cosine_decay', args: { initial_learning_rate: 0, decay_steps: 10, alpha: 0, warmup_target: 0.1, warmup_steps: 4 } },
    { name: 'piecewise_constant_decay', args: { boundaries: [3, 8], values: [1, 0.5, 0.1] } },
  ];
  const steps = [0, 1, 3, 4, 5, 8, 9, 12, 15, 30];
  const sequences = [[1.0, 0.8, 0.9, 0.95, 0.7, 0.71, 0.72], [0.5, 0.54, 0.53, 0.6, 0.6], [0.5, 0.4, 0.45, 0.44, 0.43, 0.3]];
  const earlyConfigs = [
    { monitor: 'v', direction: 'min' as const, minDelta: 0, patience: 2, restoreBestWeights: true, startFromEpoch: 0 },
    { monitor: 'v', direction: 'max' as const, minDelta: 0.05, patience: 1, restoreBestWeights: false, startFromEpoch: 0 },
    { monitor: 'v', direction: 'min' as const, minDelta: 0, patience: 2, baseline: 0.1, restoreBestWeights: true, startFromEpoch: 1 },
  ];
  const plateauConfig = { monitor: 'v', direction: 'min' as const, factor: 0.5, patience: 1, minDelta: 1e-4, cooldown: 1, minLr: 0.02 };
  const labels = [0, 0, 1, 0, 1, 0, 2, 0];
  const snake = (o: object) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));

  it('schedules, early stopping, checkpoints, plateaus and class weights', () => {
    const spec = digitsSpec('helpers', 'compile loss=categorical_crossentropy optimizer=adam metrics=[accuracy]', 'fit epochs=1');
    const got = inProgram(spec, [
      'out = {"rates": [[m.learning_rate_at(s, step) for step in data["steps"]] for s in data["schedules"]]}',
      'def decisions(config, values):',
      '    es = m.EarlyStopping(**config)',
      '    steps = [list(es.on_epoch_end(e, {"v": v})) for e, v in enumerate(values)]',
      '    return {"steps": steps, "best": es.best_epoch, "stopped": es.stopped_epoch}',
      'out["early"] = [[decisions(c, v) for v in data["sequences"]] for c in data["early"]]',
      'def plateau(values):',
      '    rp, lr, out = m.ReduceLROnPlateau(**data["plateau"]), 0.1, []',
      '    for e, v in enumerate(values):',
      '        lr = rp.on_epoch_end(e, {"v": v}, lr)',
      '        out.append(lr)',
      '    return out',
      'out["plateau"] = [plateau(v) for v in data["sequences"]]',
      'def saves(values):',
      '    mc = m.ModelCheckpoint(monitor="v", direction="min", save_best_only=True)',
      '    return [mc.on_epoch_end(e, {"v": v}) for e, v in enumerate(values)]',
      'out["saves"] = [saves(v) for v in data["sequences"]]',
      'labels = torch.tensor(data["labels"], dtype=torch.float32)',
      'onehot = torch.nn.functional.one_hot(labels.long(), 3).float()',
      'out["weights"] = [m.class_sample_weights(cw, y, 6).tolist() for cw in ["balanced", {"1": 5}] for y in [labels, onehot]]',
      'print(json.dumps(out))',
    ].join('\n'), {
      steps, schedules, sequences, labels,
      early: earlyConfigs.map(snake), plateau: snake(plateauConfig),
    }) as { rates: number[][]; early: { steps: boolean[][]; best: number; stopped: number | null }[][]; plateau: number[][]; saves: boolean[][]; weights: number[][] };

    schedules.forEach((s, i) => steps.forEach((step, j) => {
      const want = learningRateAt(s, step);
      assert.ok(Math.abs(got.rates[i][j] - want) <= 1e-12 * Math.max(1, Math.abs(want)), `${s.name} #${i} at step ${step}: ${got.rates[i][j]} != ${want}`);
    }));
    earlyConfigs.forEach((config, i) => sequences.forEach((values, j) => {
      const es = new EarlyStopping(config);
      const stepsTs = values.map((v, e) => es.onEpochEnd(e, { v })).map((s) => [s.keepWeights, s.stop]);
      assert.deepEqual(got.early[i][j], { steps: stepsTs, best: es.bestEpoch, stopped: es.stoppedEpoch ?? null }, `early stopping #${i} on ${values}`);
    }));
    sequences.forEach((values, j) => {
      const rp = new ReduceLROnPlateau(plateauConfig);
      let lr = 0.1;
      assert.deepEqual(got.plateau[j], values.map((v, e) => (lr = rp.onEpochEnd(e, { v }, lr))), `plateau on ${values}`);
      const mc = new ModelCheckpoint({ monitor: 'v', direction: 'min', saveBestOnly: true });
      assert.deepEqual(got.saves[j], values.map((v, e) => mc.onEpochEnd(e, { v })), `checkpoint on ${values}`);
    });
    const onehot = labels.flatMap((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)));
    const want = [['balanced', labels, 1], ['balanced', onehot, 3], [{ '1': 5 }, labels, 1], [{ '1': 5 }, onehot, 3]] as const;
    want.forEach(([cw, y], i) => {
      // Weights of the first 6 samples, from the classes of all 8 (balanced counts them all, as before validation_split).
      const ts = Array.from(sampleWeightsFromClasses(cw as 'balanced', y, labels.length).subarray(0, 6));
      assert.deepEqual(got.weights[i], ts, `class_weight ${JSON.stringify(cw)}`);
    });
  });

  it('from_logits=true losses take raw scores: equal to the plain loss of their softmax or sigmoid', () => {
    const spec = digitsSpec('logits', 'compile loss=sparse_categorical_crossentropy(from_logits=true) optimizer=adam metrics=[accuracy]', 'fit epochs=1');
    const got = inProgram(spec, [
      'torch.manual_seed(0)',
      'z = torch.randn(12, 4) * 3',
      'sparse = torch.tensor([[i % 4] for i in range(12)], dtype=torch.float32)',
      'onehot = torch.nn.functional.one_hot(sparse[:, 0].long(), 4).float()',
      'binary = (torch.rand(12, 4) > 0.5).float()',
      'cases = [("sparse_categorical_crossentropy", sparse, torch.softmax(z, -1)), ("categorical_crossentropy", onehot, torch.softmax(z, -1)),',
      '    ("binary_crossentropy", binary, torch.sigmoid(z))]',
      'gaps = [float((m.loss_function(n, True)(y, z) - m.loss_function(n)(y, p)).abs().max()) for n, y, p in cases]',
      'print(json.dumps({"gaps": gaps, "from_logits": m.OUTPUTS[0]["from_logits"]}))',
    ].join('\n'), {}) as { gaps: number[]; from_logits: boolean };
    assert.equal(got.from_logits, true, 'the spec\'s from_logits reaches the program');
    for (const gap of got.gaps) assert.ok(gap < 1e-4, `losses differ by ${got.gaps}`);
  });

  it('an optimizer saved and loaded halfway trains on as one that was never stopped, for every optimizer', () => {
    const spec = digitsSpec('optimizer_state', 'compile loss=categorical_crossentropy optimizer=adam metrics=[accuracy]', 'fit epochs=1');
    const optimizers = {
      sgd: { learning_rate: 0.1, momentum: 0, nesterov: false },
      sgd_momentum: { learning_rate: 0.1, momentum: 0.9, nesterov: true },
      rmsprop: { learning_rate: 0.01, rho: 0.9, momentum: 0.5, epsilon: 1e-7, centered: true },
      adam: { learning_rate: 0.01, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: true },
      adagrad: { learning_rate: 0.1, initial_accumulator_value: 0.1, epsilon: 1e-7 },
      adadelta: { learning_rate: 1, rho: 0.95, epsilon: 1e-7 },
      adamax: { learning_rate: 0.01, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 },
    };
    const got = inProgram(spec, [
      'import os, tempfile',
      'def train(name, args, stop_at, load):',
      '    torch.manual_seed(0)',
      '    model = torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.Tanh(), torch.nn.Linear(5, 3))',
      '    opt = m.keras_optimizer(name, args, model.parameters())',
      '    g = torch.Generator().manual_seed(1)',
      '    for step in range(6):',
      '        if step == stop_at:',
      '            path = os.path.join(tempfile.mkdtemp(), "state.pt")',
      '            m.write_optimizer_state(opt, path)',
      '            opt = m.keras_optimizer(name, args, model.parameters())',
      '            if load:',
      '                m.load_optimizer_state(opt, path, torch.device("cpu"))',
      '        opt.zero_grad()',
      '        model(torch.randn(8, 4, generator=g)).square().mean().backward()',
      '        opt.step()',
      '    return torch.cat([p.detach().flatten() for p in model.parameters()])',
      'out = {}',
      'for key, args in data.items():',
      '    name = key.split("_")[0]',
      '    straight = train(name, args, None, False)',
      '    out[key] = [float((train(name, args, 3, load) - straight).abs().max()) for load in (True, False)]',
      'print(json.dumps(out))',
    ].join('\n'), optimizers) as Record<string, [number, number]>;
    for (const [name, [resumed, afresh]] of Object.entries(got)) {
      assert.equal(resumed, 0, `${name}: the weights after a save and load halfway differ by ${resumed}`);
      // Plain SGD has no state; every other optimizer's state changes the steps after the stop.
      if (name !== 'sgd') assert.ok(afresh > 1e-6, `${name}: a fresh optimizer should train differently (${afresh})`);
    }
  });

  it('class weights scale each sample\'s loss: the epoch loss is sum(w * loss) / n, as Keras reduces it', () => {
    const spec = digitsSpec('weighted', 'compile loss=sparse_categorical_crossentropy optimizer=sgd metrics=[accuracy]', 'fit epochs=1 class_weight={0: 1, 1: 5, 2: 0.5}');
    const got = inProgram(spec, [
      'torch.manual_seed(0)',
      'x = torch.rand(30, 784)',
      'y = torch.tensor([[i % 3] for i in range(30)], dtype=torch.float32)',
      'module = m.build_model()',
      'with torch.no_grad():',
      '    p = module(x)',
      '    losses = -torch.log(p.gather(1, y.long()))[:, 0]',
      'w = m.class_sample_weights(m.CLASS_WEIGHT, y, 30)',
      'objective = m.Objective(m.OUTPUTS)',
      'reporter = m.Reporter("jsonl", 1)',
      'history, _, _ = m.fit(module, module, objective, m.make_optimizer(module.parameters()), ([x], [y]), None, 1, 30, False, 0,',
      '    torch.device("cpu"), reporter, lambda e, r: None, 1, 0, sample_weights=w)',
      'print(json.dumps({"fit": history[0]["loss"], "weighted": float((w * losses).sum() / 30), "plain": float(losses.mean())}))',
    ].join('\n'), {}) as { fit: number; weighted: number; plain: number };
    assert.ok(Math.abs(got.fit - got.weighted) < 1e-5, `fit reports ${got.fit}, sum(w * loss) / n is ${got.weighted}`);
    assert.ok(Math.abs(got.weighted - got.plain) > 1e-2, 'the weights change the loss');
  });
});

describe('mlc train --engine torch with the fit section', { skip: skipWithoutTorch('the torch engine\'s fit options') }, () => {
  // The training loss falls, so with mode=max the first epoch stays the best: both engines stop after epoch 3
  // (patience 2), put back epoch 1, and model_checkpoint kept epoch 1 only.
  const spec = digitsSpec('fit_torch',
    'compile loss=categorical_crossentropy optimizer=adam(lr=exponential_decay(0.01, decay_steps=5, decay_rate=0.5)) metrics=[accuracy]',
    'fit epochs=6 batch=64 validation_split=0.25 class_weight=balanced callbacks=[early_stopping(monitor=loss, mode=max, patience=2, restore_best_weights=true), ' +
    'model_checkpoint(save_best_only=true, monitor=loss, mode=max)]');
  const args = (engine: string, out: string) => ['train', spec, '--engine', engine, '--limit', '256', '--seed', '2', '--json', '-o', out];

  it('stops, restores and keeps the epochs tfjs does, with Keras\'s learning rate per epoch', () => {
    const outs = { tfjs: join(scratch, 'es-tfjs'), torch: join(scratch, 'es-torch') };
    const runs = Object.fromEntries(Object.entries(outs).map(([engine, out]) => [engine, mlc(args(engine, out))]));
    for (const [engine, r] of Object.entries(runs)) {
      assert.equal(r.status, 0, `${engine}: ${r.stderr}`);
      const report = lastJson(r.stdout);
      assert.deepEqual([report.stoppedEpoch, report.restoredEpoch, report.savedEpoch], [3, 1, 1], `${engine}: ${r.stderr}`);
      assert.equal(report.epochs.length, 3);
      // 192 training samples in batches of 64: 3 steps an epoch; after epoch e the optimizer is at step 3e.
      report.epochs.forEach((e, i) => {
        const keras = 0.01 * 0.5 ** ((3 * (i + 1)) / 5);
        assert.ok(Math.abs(e.learning_rate - keras) < 1e-12, `${engine} epoch ${i + 1}: learning_rate ${e.learning_rate}, Keras ${keras}`);
      });
      assert.match(r.stderr, /^early_stopping: stopped after epoch 3$/m);
      assert.match(r.stderr, /^early_stopping: restored the weights of epoch 1, the best loss$/m);
      assert.match(r.stderr, new RegExp(`^saved: ${outs[engine as 'tfjs'].replace(/[/.]/g, '\\$&')} \\(the weights of epoch 1, the best loss: [\\d.]+\\)$`, 'm'));
      const checkpoint = JSON.parse(readFileSync(join(outs[engine as 'tfjs'], 'checkpoint.json'), 'utf8')) as { epoch: number; history: unknown[] };
      assert.deepEqual([checkpoint.epoch, checkpoint.history.length], [1, 1]);
    }
    // The save holds epoch 1's weights, which the test scores (after restoring) were computed with.
    const evaluated = mlc(['evaluate', outs.torch, '--json']);
    assert.equal(evaluated.status, 0, evaluated.stderr);
    const scores = lastJson<{ scores: Record<string, number> }>(evaluated.stdout).scores;
    const torchTest = lastJson(runs.torch.stdout).test!;
    assert.ok(Math.abs(scores.loss - torchTest.loss) < 1e-4, `evaluate ${scores.loss}, torch ${torchTest.loss}`);
  });

  it('--resume goes on from a torch save with its optimizer state: 2 epochs, then 1 more, train as 3 in one run', () => {
    const plain = digitsSpec('resumed', 'compile loss=categorical_crossentropy optimizer=adam metrics=[accuracy]', 'fit epochs=3 batch=64');
    const [straight, split, older] = ['straight', 'split', 'older'].map((name) => join(scratch, `resume-${name}`));
    const train = (...args: string[]) => {
      const r = mlc(['train', plain, '--engine', 'torch', '--limit', '256', '--json', ...args]);
      assert.equal(r.status, 0, r.stderr);
      return r;
    };
    const whole = lastJson(train('--seed', '1', '--epochs', '3', '-o', straight).stdout);
    train('--seed', '1', '--epochs', '2', '-o', split);
    assert.ok(existsSync(join(split, 'torch-optimizer.pt')), 'the save holds the optimizer state');
    // A save without the optimizer's state, as the tfjs engine and earlier versions write it.
    cpSync(split, older, { recursive: true });
    rmSync(join(older, 'torch-optimizer.pt'));

    const resumed = train('--epochs', '3', '--resume', split);
    const report = lastJson(resumed.stdout);
    assert.deepEqual([report.firstEpoch, report.epochs.length], [3, 1]);
    assert.doesNotMatch(resumed.stderr, /starts afresh/);
    const [one, two] = [whole.epochs[2], report.epochs[0]];
    assert.ok(Math.abs(one.loss - two.loss) < 1e-6 && one.accuracy === two.accuracy, `epoch 3 in one run ${JSON.stringify(one)}, resumed ${JSON.stringify(two)}`);
    const weights = (dir: string) => new Float32Array(Uint8Array.from(readFileSync(join(dir, 'weights.bin'))).buffer);
    const [a, b] = [weights(straight), weights(split)];
    assert.equal(a.length, b.length);
    const difference = a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
    assert.ok(difference < 1e-6, `the weights after 3 epochs differ by ${difference}`);
    const checkpoint = JSON.parse(readFileSync(join(split, 'checkpoint.json'), 'utf8')) as { epoch: number; history: unknown[] };
    assert.deepEqual([checkpoint.epoch, checkpoint.history.length], [3, 3]);

    // Without the state, Adam's moments and step count start from zero, and the third epoch differs.
    const afresh = train('--epochs', '3', '--resume', older);
    assert.match(afresh.stderr, /the optimizer starts afresh/);
    const fresh = lastJson(afresh.stdout).epochs[0];
    assert.ok(Math.abs(fresh.loss - one.loss) > 1e-4, `a fresh optimizer gives another epoch 3: ${fresh.loss} vs ${one.loss}`);
  });
});

describe('mlc train --engine torch on graphs of several inputs and outputs', { skip: skipWithoutTorch('several inputs and outputs on torch') }, () => {
  // 30 samples of a 28x28 image whose stripes give the class; every 5th is held out for test.
  const classes = Array.from({ length: 30 }, (_, i) => (i * 7) % 10);
  const images = classes.map((c) => Array.from({ length: 28 }, (_, y) => Array.from({ length: 28 }, (_, x) => [(x + y + c) % 10 === 0 ? 1 : 0])));
  const ink = images.map((img) => [img.flat(2).reduce((a, b) => a + b, 0) / 784]);
  const cases = [
    { spec: 'specs/two-inputs.model', data: { image: images, meta: classes.map((c) => Array.from({ length: 10 }, (_, k) => (k === c ? 1 : 0))), dense_1: classes } },
    { spec: 'specs/two-outputs.model', data: { image: images, digit: classes, ink } },
  ];
  for (const { spec, data } of cases) {
    it(`${spec}: trains, saves, and mlc evaluate and predict read the save`, () => {
      const file = join(scratch, `${spec.replace(/\W/g, '_')}.json`);
      writeFileSync(file, JSON.stringify(data));
      const out = join(scratch, spec.replace(/\W/g, '_'));
      const r = mlc(['train', spec, '--engine', 'torch', '--data', `json:${file}`, '--epochs', '3', '--batch', '8', '--seed', '1', '--json', '-o', out]);
      assert.equal(r.status, 0, r.stderr);
      const report = lastJson(r.stdout);
      const names = spec.includes('outputs') ? ['loss', 'digit_loss', 'digit_accuracy', 'ink_loss', 'ink_mae'] : ['loss', 'accuracy'];
      assert.deepEqual(Object.keys(report.test!), names, 'scores named as Keras names them');
      assert.ok(report.epochs[2].loss < report.epochs[0].loss, `the loss falls: ${report.epochs.map((e) => e.loss)}`);
      if (spec.includes('outputs')) {
        // The total is the outputs' losses weighted by loss_weights (digit 1, ink 0.5).
        const e = report.epochs[0];
        assert.ok(Math.abs(e.loss - (e.digit_loss + 0.5 * e.ink_loss)) < 1e-5, JSON.stringify(e));
      }
      const evaluated = mlc(['evaluate', out, '--data', `json:${file}`, '--json']);
      assert.equal(evaluated.status, 0, evaluated.stderr);
      const scores = lastJson<{ scores: Record<string, number> }>(evaluated.stdout).scores;
      for (const name of names) assert.ok(Math.abs(scores[name] - report.test![name]) < 1e-4, `${name}: evaluate ${scores[name]}, torch ${report.test![name]}`);
      const predicted = mlc(['predict', out, file, '--json']);
      assert.equal(predicted.status, 0, predicted.stderr);
      const predictions = lastJson<{ predictions: { outputs: { name: string }[] }[] }>(predicted.stdout).predictions;
      assert.equal(predictions.length, 30);
      assert.deepEqual(predictions[0].outputs.map((o) => o.name), spec.includes('outputs') ? ['digit', 'ink'] : ['dense_1']);
    });
  }
});
