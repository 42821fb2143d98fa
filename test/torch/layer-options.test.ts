/**
 * Keras's per-layer options in the emitted PyTorch program (and so in
 * `mlc train --engine torch`): a frozen layer's parameters take no gradient
 * and keep their values through an optimizer step while the others move;
 * initializers draw with Keras 3's formulas; the regularized loss the
 * program reports equals the one TensorFlow.js reports for the same weights
 * and data; names with `-` become valid attributes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { emitPyTorch } from '../../src/codegen/pytorch/emit.js';
import { compileSource } from '../../src/ir/pipeline.js';
import { buildModel, compileModel } from '../../src/runtime/model.js';
import { objectiveOf } from '../../src/runtime/objective.js';
import { evaluateTensors } from '../../src/runtime/evaluate.js';
import { saveModelDir } from '../../src/runtime/saved-model.js';
import { toTensors } from '../../src/runtime/split-tensors.js';
import { blobs, testTf } from '../runtime/helpers.js';
import { skipWithoutTorch, torchPython } from './helpers.js';

const SPEC = `input 400
dense 300 relu kernel_initializer=he_normal kernel_regularizer=l2(0.01) bias_regularizer=l1_l2(l1=0.02, l2=0.03) bias_initializer=random_normal name=hidden-1
dense 40 tanh trainable=false kernel_initializer=glorot_uniform kernel_regularizer=l1(0.005)
reshape 8x5
lstm 6 kernel_initializer=orthogonal recurrent_initializer=zeros bias_initializer=ones kernel_regularizer=l2(0.01) recurrent_regularizer=l1(0.02) bias_regularizer=l2(0.03)
dense 3 softmax activity_regularizer=l1_l2(l1=0.01, l2=0.02)
compile loss=categorical_crossentropy optimizer=sgd(lr=0.5)
`;

/** Runs in the program's namespace; prints one JSON object of what the test checks. */
const CHECK = `
import importlib.util, json, sys
import numpy as np, torch
spec = importlib.util.spec_from_file_location("emitted", sys.argv[1])
program = importlib.util.module_from_spec(spec)
spec.loader.exec_module(program)
torch.manual_seed(0)
model = program.build_model()
out = {"attributes": list(model.KERAS_LAYERS.values()), "counts": list(program.count_parameters(model))}
out["requires_grad"] = {name: p.requires_grad for name, p in model.named_parameters()}
kernel = model.hidden_1.kernel.detach()
out["he_normal_std"] = kernel.std().item()
out["he_normal_max"] = kernel.abs().max().item()
out["glorot_uniform_max"] = model.dense.kernel.detach().abs().max().item()
k = model.lstm.kernel.detach()  # Keras layout (5, 24): orthonormal rows
out["orthogonal_error"] = (k @ k.t() - torch.eye(5)).abs().max().item()
out["recurrent_zero"] = bool((model.lstm.recurrent_kernel == 0).all())
out["bias_one"] = bool((model.lstm.bias == 1).all())
# One optimizer step: the frozen layer keeps its weights, the others move.
before = {name: p.detach().clone() for name, p in model.named_parameters()}
optimizer = program.keras_optimizer("sgd", {"learning_rate": 0.5, "momentum": 0.0, "nesterov": False}, model.parameters())
x = torch.randn(16, 400)
(model(x).square().sum() + program.regularization_loss(model)).backward()
optimizer.step()
out["moved"] = {name: not torch.equal(before[name], p.detach()) for name, p in model.named_parameters()}
# The loss evaluate() reports, with the weights TensorFlow.js saved.
program.load_keras_weights(model, program.read_mlc_save(sys.argv[2]))
n = int(sys.argv[3])
xs = torch.from_numpy(np.fromfile(sys.argv[4], dtype=np.float32).reshape(n, 400))
ys = torch.from_numpy(np.fromfile(sys.argv[5], dtype=np.float32).reshape(n, 3))
scores = program.evaluate(model, program.Objective(program.OUTPUTS), ([xs], [ys]), 16, "cpu")
out["loss"] = scores["loss"]
print(json.dumps(out))
`;

describe('layer options in the emitted PyTorch program', { skip: skipWithoutTorch('the layer-option tests') }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'mlc-torch-options-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const compiled = compileSource(SPEC, 'options.model');
  const ir = compiled.ir!;
  const facts = compiled.facts!;
  let result: Record<string, unknown>;
  let tfjsLoss: number;

  it('runs the program on the spec, with the weights TensorFlow.js saved', async () => {
    assert.deepEqual(compiled.diagnostics.filter((d) => d.severity === 'error'), []);
    const emitted = emitPyTorch(ir, facts);
    assert.ok(emitted.code, emitted.diagnostics.map((d) => d.message).join('; '));
    writeFileSync(join(scratch, 'program.py'), emitted.code);

    const tf = await testTf();
    const model = buildModel(tf, ir, { seed: 2 });
    compileModel(tf, model, ir);
    const data = blobs(40, 400, 3);
    tfjsLoss = (await evaluateTensors(tf, model, objectiveOf(tf, model, ir), toTensors(tf, data), 16)).loss;
    const save = join(scratch, 'save');
    await saveModelDir(tf, model, save, ir, { epoch: 0, epochs: 0, history: [], batchSize: 16, optimizerState: false });
    model.dispose();
    writeFileSync(join(scratch, 'x.bin'), new Uint8Array(data.xs[0].values.buffer));
    writeFileSync(join(scratch, 'y.bin'), new Uint8Array(data.ys[0].values.buffer));

    const r = spawnSync(torchPython!.python, ['-c', CHECK, join(scratch, 'program.py'), save, '40', join(scratch, 'x.bin'), join(scratch, 'y.bin')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    result = JSON.parse(r.stdout.trim().split('\n').pop()!);
  });

  const black = spawnSync('black', ['--version'], { encoding: 'utf8' }).status === 0;
  it('lays the options out as black does', { skip: black ? false : 'black is not installed (apt-get install black)' }, () => {
    const r = spawnSync('black', ['--check', '--diff', '--quiet', join(scratch, 'program.py')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout);
  });

  it('names the module of `hidden-1` hidden_1 and counts parameters as mlc summary does', () => {
    assert.deepEqual(result.attributes, ['hidden_1', 'dense', 'reshape', 'lstm', 'dense_1']);
    assert.deepEqual(result.counts, [facts.trainableParams, facts.nonTrainableParams]);
    assert.equal(facts.nonTrainableParams, 300 * 40 + 40);
  });

  it('freezes the layer marked trainable=false and trains the others', () => {
    const grad = result.requires_grad as Record<string, boolean>;
    const moved = result.moved as Record<string, boolean>;
    assert.deepEqual([grad['dense.kernel'], grad['dense.bias']], [false, false]);
    assert.deepEqual([moved['dense.kernel'], moved['dense.bias']], [false, false]);
    for (const name of ['hidden_1.kernel', 'hidden_1.bias', 'lstm.kernel', 'dense_1.kernel']) {
      assert.equal(grad[name], true, name);
      assert.equal(moved[name], true, name);
    }
  });

  it('draws the initializers with Keras 3\'s formulas', () => {
    // he_normal: truncated normal with deviation sqrt(2 / fan_in) after Keras's correction, cut at two (uncorrected) deviations.
    const std = Math.sqrt(2 / 400);
    assert.ok(Math.abs((result.he_normal_std as number) - std) / std < 0.03, `he_normal std ${result.he_normal_std}, Keras's ${std}`);
    assert.ok((result.he_normal_max as number) <= (2 * std) / 0.87962566103423978 + 1e-6);
    // glorot_uniform: U(-limit, limit), limit = sqrt(6 / (fan_in + fan_out)).
    const limit = Math.sqrt(6 / (300 + 40));
    assert.ok((result.glorot_uniform_max as number) <= limit && (result.glorot_uniform_max as number) > 0.95 * limit);
    assert.ok((result.orthogonal_error as number) < 1e-5, `orthogonal: KKᵀ - I up to ${result.orthogonal_error}`);
    assert.equal(result.recurrent_zero, true);
    assert.equal(result.bias_one, true);
  });

  it('reports the regularized loss TensorFlow.js reports for the same weights and data', () => {
    assert.ok(Math.abs((result.loss as number) - tfjsLoss) < 1e-4, `torch ${result.loss}, tfjs ${tfjsLoss}`);
  });
});

/**
 * A model whose starting loss is known exactly: an all-ones kernel gives
 * every class the same logit, so the crossentropy is ln 3, and l2(0.5) on
 * the 2x3 kernel of ones adds 0.5·6 = 3. With a learning rate of 1e-9 and
 * the whole training set in one batch, the loss each engine reports for the
 * epoch is that starting loss, and so is the validation loss.
 */
const KNOWN = `input 2
dense 3 softmax kernel_initializer=ones kernel_regularizer=l2(0.5)
compile loss=sparse_categorical_crossentropy optimizer=sgd(lr=1e-9)
fit epochs=1 batch=64 validation_split=0.25
`;

/**
 * The same with Keras 3's activity penalty instead: every softmax output
 * sums to 1, so l1(0.5) adds 0.5 per sample of the batch, summed over the
 * batch (Keras 3 does not divide it by the batch size). Of the 64 rows, 52
 * are trained on (every 5th of each class is held out for test), and
 * validation_split takes 13 of those: 39 training rows in one batch give
 * ln 3 + 19.5, the 13 validation rows ln 3 + 6.5.
 */
const KNOWN_ACTIVITY = `input 2
dense 3 softmax kernel_initializer=ones activity_regularizer=l1(0.5)
compile loss=sparse_categorical_crossentropy optimizer=sgd(lr=1e-9)
fit epochs=1 batch=64 validation_split=0.25
`;

describe('the regularized training loss each engine reports', { skip: skipWithoutTorch('the regularized training loss on PyTorch') }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlc-known-loss-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'known.model'), KNOWN);
  writeFileSync(join(dir, 'activity.model'), KNOWN_ACTIVITY);
  const rows = Array.from({ length: 64 }, (_, i) => `${(i % 7) / 3},${(i % 5) / 2},${i % 3}`);
  writeFileSync(join(dir, 'data.csv'), ['a,b,label', ...rows].join('\n') + '\n');

  function firstEpoch(spec: string, engine: string): Record<string, number> {
    const args = ['--import', 'tsx', 'src/cli/main.ts', 'train', join(dir, spec), '--data', `csv:${join(dir, 'data.csv')}`, '--json'];
    const r = spawnSync(process.execPath, engine === 'torch' ? [...args, '--engine', 'torch'] : args, { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return (JSON.parse(r.stdout.trim().split('\n').pop()!) as { epochs: Record<string, number>[] }).epochs[0];
  }

  for (const engine of ['tfjs', 'torch']) {
    it(`${engine}: crossentropy + 0.5·Σw², for training and validation`, () => {
      const want = Math.log(3) + 3;
      const epoch = firstEpoch('known.model', engine);
      assert.ok(Math.abs(epoch.loss - want) < 1e-4, `loss ${epoch.loss}, ln 3 + 3 = ${want}`);
      assert.ok(Math.abs(epoch.val_loss - want) < 1e-4, `val_loss ${epoch.val_loss}, ln 3 + 3 = ${want}`);
    });

    it(`${engine}: crossentropy + 0.5·Σ|y| over each batch, for training and validation`, () => {
      const epoch = firstEpoch('activity.model', engine);
      assert.ok(Math.abs(epoch.loss - (Math.log(3) + 19.5)) < 1e-3, `loss ${epoch.loss}, ln 3 + 0.5·39 = ${Math.log(3) + 19.5}`);
      assert.ok(Math.abs(epoch.val_loss - (Math.log(3) + 6.5)) < 1e-3, `val_loss ${epoch.val_loss}, ln 3 + 0.5·13 = ${Math.log(3) + 6.5}`);
    });
  }
});

/**
 * The weight options of the depthwise, separable and transposed
 * convolutions in the emitted PyTorch program: constant initializers give
 * their weights, a variance-scaling one Keras's deviation for the kernel's
 * fans, and the regularized loss equals TensorFlow.js's for the same weights.
 */
const CONV_SPEC = `input 8x8x32
conv2dtranspose 64 3 relu kernel_initializer=he_normal bias_initializer=ones kernel_regularizer=l2(0.01) bias_regularizer=l1(0.02)
depthwiseconv2d 3 depthwise_initializer=ones bias_initializer=random_normal depthwise_regularizer=l1_l2(l1=0.01, l2=0.02) bias_regularizer=l2(0.1)
separableconv2d 4 3 depthwise_initializer=zeros pointwise_initializer=ones bias_initializer=ones depthwise_regularizer=l2(0.03) pointwise_regularizer=l1(0.01) bias_regularizer=l1(0.05)
reshape 36x4
conv1dtranspose 3 3 kernel_initializer=zeros bias_initializer=ones kernel_regularizer=l2(0.02) bias_regularizer=l1(0.1)
flatten
dense 3 softmax
compile loss=categorical_crossentropy optimizer=sgd(lr=0.5)
`;

const CONV_CHECK = `
import importlib.util, json, sys
import numpy as np, torch
spec = importlib.util.spec_from_file_location("emitted", sys.argv[1])
program = importlib.util.module_from_spec(spec)
spec.loader.exec_module(program)
torch.manual_seed(0)
model = program.build_model()
out = {}
kernel = model.conv2d_transpose.kernel.detach()
out["he_normal_std"] = kernel.std().item()
out["he_normal_max"] = kernel.abs().max().item()
constant = lambda t, v: bool((t.detach() == v).all())
out["constants"] = [
    constant(model.conv2d_transpose.bias, 1),
    constant(model.depthwise_conv2d.depthwise_kernel, 1),
    constant(model.separable_conv2d.depthwise_kernel, 0),
    constant(model.separable_conv2d.pointwise_kernel, 1),
    constant(model.separable_conv2d.bias, 1),
    constant(model.conv1d_transpose.kernel, 0),
    constant(model.conv1d_transpose.bias, 1),
]
program.load_keras_weights(model, program.read_mlc_save(sys.argv[2]))
n = int(sys.argv[3])
xs = torch.from_numpy(np.fromfile(sys.argv[4], dtype=np.float32).reshape(n, 8, 8, 32))
ys = torch.from_numpy(np.fromfile(sys.argv[5], dtype=np.float32).reshape(n, 3))
out["penalty"] = float(program.regularization_loss(model))
scores = program.evaluate(model, program.Objective(program.OUTPUTS), ([xs], [ys]), 8, "cpu")
out["loss"] = scores["loss"]
print(json.dumps(out))
`;

describe('weight options of the conv kinds in the emitted PyTorch program', { skip: skipWithoutTorch('the conv kinds\' weight options') }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'mlc-torch-conv-options-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const compiled = compileSource(CONV_SPEC, 'conv-options.model');
  let result: Record<string, unknown>;
  let tfjs: { loss: number; penalty: number };

  it('runs the program on the spec, with the weights TensorFlow.js saved', async () => {
    assert.deepEqual(compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
    const ir = compiled.ir!;
    const emitted = emitPyTorch(ir, compiled.facts!);
    assert.ok(emitted.code, emitted.diagnostics.map((d) => d.message).join('; '));
    writeFileSync(join(scratch, 'program.py'), emitted.code);

    const tf = await testTf();
    const model = buildModel(tf, ir, { seed: 3 });
    compileModel(tf, model, ir);
    const flat = blobs(20, 8 * 8 * 32, 3);
    const data = { ...flat, xs: [{ ...flat.xs[0], shape: [20, 8, 8, 32] }] };
    const penalty = tf.addN(model.calculateLosses()).dataSync()[0];
    tfjs = { loss: (await evaluateTensors(tf, model, objectiveOf(tf, model, ir), toTensors(tf, data), 8)).loss, penalty };
    const save = join(scratch, 'save');
    await saveModelDir(tf, model, save, ir, { epoch: 0, epochs: 0, history: [], batchSize: 8, optimizerState: false });
    model.dispose();
    writeFileSync(join(scratch, 'x.bin'), new Uint8Array(data.xs[0].values.buffer));
    writeFileSync(join(scratch, 'y.bin'), new Uint8Array(data.ys[0].values.buffer));

    const r = spawnSync(torchPython!.python, ['-c', CONV_CHECK, join(scratch, 'program.py'), save, '20', join(scratch, 'x.bin'), join(scratch, 'y.bin')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    result = JSON.parse(r.stdout.trim().split('\n').pop()!);
  });

  it('gives each constant initializer\'s weight its value: bias, depthwise, pointwise and transposed kernels', () => {
    assert.deepEqual(result.constants, [true, true, true, true, true, true, true]);
  });

  it('draws he_normal on a transposed kernel (3, 3, filters, in) with fan_in 9·filters, as Keras 3', () => {
    const std = Math.sqrt(2 / (9 * 64));
    assert.ok(Math.abs((result.he_normal_std as number) - std) / std < 0.03, `he_normal std ${result.he_normal_std}, Keras's ${std}`);
    assert.ok((result.he_normal_max as number) <= (2 * std) / 0.87962566103423978 + 1e-6);
  });

  it('adds the same penalties, and reports the same regularized loss, as TensorFlow.js for the same weights', () => {
    assert.ok(tfjs.penalty > 0.1, `the penalty (${tfjs.penalty}) is large enough to be seen`);
    assert.ok(Math.abs((result.penalty as number) - tfjs.penalty) < 1e-4 * tfjs.penalty, `torch penalty ${result.penalty}, tfjs ${tfjs.penalty}`);
    assert.ok(Math.abs((result.loss as number) - tfjs.loss) < 1e-4 * Math.max(1, tfjs.loss), `torch ${result.loss}, tfjs ${tfjs.loss}`);
  });
});
