/** The fit section's schedules, callbacks and class weights: lowering with Keras 3's defaults, and the checks against the compile section. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile, irOf, only } from './helpers.js';

const spec = (compileLine: string, fitLine = '') =>
  `input 4\ndense 8 relu\ndense 3 softmax\ncompile loss=categorical_crossentropy ${compileLine} metrics=[accuracy]\n${fitLine}\n`;
const errors = (source: string) => compile(source).diagnostics;

describe('learning-rate schedules', () => {
  it('are an optimizer learning rate, with Keras 3 defaults filled in', () => {
    const ir = irOf(spec('optimizer=adam(lr=exponential_decay(1e-3, decay_steps=1000, decay_rate=0.9))'));
    assert.deepEqual(ir.compile?.optimizer.args.learning_rate, {
      name: 'exponential_decay', args: { initial_learning_rate: 1e-3, decay_steps: 1000, decay_rate: 0.9, staircase: false },
    });
    assert.equal(ir.compile?.optimizer.args.beta_1, 0.9);
    const cosine = irOf(spec('optimizer=sgd(cosine_decay(0.1, 500))')).compile?.optimizer.args.learning_rate;
    assert.deepEqual(cosine, { name: 'cosine_decay', args: { initial_learning_rate: 0.1, decay_steps: 500, alpha: 0, warmup_steps: 0 } });
    const poly = irOf(spec('optimizer=sgd(lr=polynomial_decay(0.1, 100))')).compile?.optimizer.args.learning_rate;
    assert.deepEqual(poly, { name: 'polynomial_decay', args: { initial_learning_rate: 0.1, decay_steps: 100, end_learning_rate: 0.0001, power: 1, cycle: false } });
    const piecewise = irOf(spec('optimizer=sgd(lr=piecewise_constant_decay([10, 20], [0.1, 0.01, 0.001]))')).compile?.optimizer.args.learning_rate;
    assert.deepEqual(piecewise, { name: 'piecewise_constant_decay', args: { boundaries: [10, 20], values: [0.1, 0.01, 0.001] } });
  });

  it('name an unknown schedule, a callback given as one, and a bad argument at its text', () => {
    const unknown = only(errors(spec('optimizer=adam(lr=exp_decay(1e-3))')), 'E-ARG-VALUE');
    assert.match(unknown.message, /unknown learning-rate schedule `exp_decay`/);
    assert.match(unknown.help ?? '', /exponential_decay/);
    const callback = only(errors(spec('optimizer=adam(lr=reduce_lr_on_plateau(patience=2))')), 'E-ARG-VALUE');
    assert.match(callback.help ?? '', /fit callbacks=\[reduce_lr_on_plateau/);
    const range = only(errors(spec('optimizer=adam(lr=exponential_decay(1e-3, decay_steps=0, decay_rate=0.9))')), 'E-ARG-RANGE');
    assert.match(range.message, /decay_steps must be >= 1; got 0/);
    assert.deepEqual([range.span?.line, range.span?.column], [4, 93]);
  });

  it('check piecewise_constant_decay: one more value than boundaries, boundaries increasing', () => {
    assert.match(only(errors(spec('optimizer=sgd(lr=piecewise_constant_decay([10, 20], [0.1, 0.01]))')), 'E-ARG-VALUE').message, /one more value than boundaries/);
    assert.match(only(errors(spec('optimizer=sgd(lr=piecewise_constant_decay([20, 10], [0.1, 0.01, 0.001]))')), 'E-ARG-VALUE').message, /must increase/);
  });
});

describe('callbacks', () => {
  it('lower with Keras 3 defaults, in the order written', () => {
    const ir = irOf(spec('optimizer=adam', 'fit validation_split=0.2 callbacks=[early_stopping(monitor=val_loss, patience=3, restore_best_weights=true), model_checkpoint(save_best_only=true, monitor=val_accuracy), reduce_lr_on_plateau]'));
    assert.deepEqual(ir.fit?.callbacks, [
      { name: 'early_stopping', args: { monitor: 'val_loss', patience: 3, restore_best_weights: true, min_delta: 0, mode: 'auto', start_from_epoch: 0 } },
      { name: 'model_checkpoint', args: { save_best_only: true, monitor: 'val_accuracy', mode: 'auto' } },
      { name: 'reduce_lr_on_plateau', args: { monitor: 'val_loss', factor: 0.1, patience: 10, mode: 'auto', min_delta: 0.0001, cooldown: 0, min_lr: 0 } },
    ]);
  });

  it('must monitor a figure training reports; val_ figures without validation data are a warning', () => {
    const d = only(errors(spec('optimizer=adam', 'fit validation_split=0.2 callbacks=[early_stopping(monitor=val_acc)]')), 'E-ARG-VALUE');
    assert.match(d.message, /monitors `val_acc`, which training does not report/);
    assert.match(d.help ?? '', /val_accuracy/);
    const w = only(errors(spec('optimizer=adam', 'fit callbacks=[early_stopping(patience=2)]')), 'W-CALLBACK-VALIDATION');
    assert.match(w.help ?? '', /validation_split=0.2/);
  });

  it('refuse reduce_lr_on_plateau beside a schedule, as Keras does', () => {
    const d = only(errors(spec('optimizer=sgd(lr=inverse_time_decay(0.1, 10, 0.5))', 'fit validation_split=0.2 callbacks=[reduce_lr_on_plateau(patience=2)]')), 'E-ARG-VALUE');
    assert.match(d.message, /cannot change a learning rate that the schedule `inverse_time_decay` sets/);
  });

  it('name unknown callbacks and schedules given as callbacks', () => {
    const ds = errors(spec('optimizer=adam', 'fit callbacks=[early_stop, exponential_decay]'));
    assert.deepEqual(ds.map((d) => d.message), ['unknown callback `early_stop`', 'unknown callback `exponential_decay`']);
    assert.match(ds[0].help ?? '', /early_stopping/);
    assert.match(ds[1].help ?? '', /optimizer=adam\(lr=exponential_decay/);
  });
});

describe('class_weight', () => {
  it('takes `balanced` or a map of class indices; a regression loss is an error', () => {
    assert.equal(irOf(spec('optimizer=adam', 'fit class_weight=balanced')).fit?.class_weight, 'balanced');
    const reg = compile('input 4\ndense 1\ncompile loss=mse\nfit class_weight=balanced\n').diagnostics;
    assert.match(only(reg, 'E-ARG-VALUE').message, /loss=mse is a regression/);
    assert.deepEqual(irOf(spec('optimizer=adam', 'fit class_weight={0: 1, 2: 5.5}')).fit?.class_weight, { 0: 1, 2: 5.5 });
    assert.match(only(errors(spec('optimizer=adam', 'fit class_weight={cat: 1}')), 'E-ARG-VALUE').message, /class_weight keys are class indices/);
    assert.match(only(errors(spec('optimizer=adam', 'fit class_weight=equal')), 'E-ARG-TYPE').message, /expects `balanced` or a weight per class/);
  });
});
