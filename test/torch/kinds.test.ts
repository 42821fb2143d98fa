/**
 * The layer kinds that act only while training, on PyTorch: each does what
 * Keras defines (GaussianNoise adds N(0, stddev), GaussianDropout multiplies
 * by N(1, sqrt(rate / (1 − rate))), SpatialDropout drops whole channels and
 * scales the rest by 1 / (1 − rate), RandomFlip flips half the images) and
 * nothing at inference; and `mlc train --engine torch` trains a model made of
 * the kinds PyTorch gained with them, repeatably under --seed. Their
 * inference-time equivalence with TensorFlow.js is in equivalence.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { skipWithoutTorch, torchPython } from './helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'mlc-torch-kinds-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function mlc(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** MNIST-shaped, through every kind PyTorch gained with these layers. */
const SPEC = `model torch_kinds

input 28x28x1
randomflip horizontal
rescaling 2.0 offset=-1
gaussiannoise 0.1
conv 8 3 relu padding=same strides=2
depthwiseconv2d 3 padding=same depth_multiplier=2
leakyrelu 0.1
separableconv2d 8 3 padding=same
prelu shared_axes=[1, 2]
spatialdropout2d 0.1
conv2dtranspose 4 3 strides=2 padding=same
cropping2d 2
relu max_value=6
gaussiandropout 0.1
permute [2, 1, 3]
elu
conv 4 3 relu strides=4
flatten
dense 32
reshape 8x4
zeropadding1d 1
cropping1d [1, 2]
upsampling1d 2
conv1d 4 2 padding=causal
spatialdropout1d 0.1
flatten
dense 8 relu
repeatvector 2
flatten
dense 10
softmax

compile loss=categorical_crossentropy optimizer=adam(lr=0.005) metrics=[accuracy]
`;

/** Python: each training-only layer's statistics in training mode, and the identity in eval mode. */
const CHECK = `
import importlib.util, json, sys
import torch
spec = importlib.util.spec_from_file_location("emitted", sys.argv[1])
p = importlib.util.module_from_spec(spec)
spec.loader.exec_module(p)
torch.manual_seed(0)
out = {}
x = torch.ones(64, 3, 40, 40)
layers = {
    "noise": p.KerasGaussianNoise(0.5),
    "gdrop": p.KerasGaussianDropout(0.3),
    "sdrop": p.KerasSpatialDropout(0.25, channel_dim=1),
    "flip": p.KerasRandomFlip("horizontal", height_dim=2, width_dim=3),
}
out["eval_identity"] = all(bool(torch.equal(l.eval()(x), x)) for l in layers.values())
for l in layers.values():
    l.train()
noise = layers["noise"](x) - 1
out["noise_mean"], out["noise_std"] = noise.mean().item(), noise.std().item()
g = layers["gdrop"](x)
out["gdrop_mean"], out["gdrop_std"] = g.mean().item(), g.std().item()
s = layers["sdrop"](x)
per_channel = s.reshape(64 * 3, -1)
out["sdrop_whole_channels"] = bool((per_channel.amin(1) == per_channel.amax(1)).all())
out["sdrop_values"] = sorted(set(round(v, 5) for v in per_channel[:, 0].tolist()))
out["sdrop_dropped"] = (per_channel[:, 0] == 0).float().mean().item()
image = torch.arange(40.0).repeat(64, 3, 40, 1)
f = layers["flip"](image)
flipped = (f == image.flip(3)).flatten(1).all(1)
kept = (f == image).flatten(1).all(1)
out["flip_each_whole"] = bool((flipped | kept).all())
out["flip_fraction"] = flipped.float().mean().item()
print(json.dumps(out))
`;

describe('training-only layers on PyTorch', { skip: skipWithoutTorch('the training-only layers') }, () => {
  const spec = join(scratch, 'kinds.model');
  writeFileSync(spec, SPEC);

  it('act as Keras defines them while training, and not at inference', () => {
    const program = join(scratch, 'kinds.py');
    const emitted = mlc(['emit', spec, '--target', 'pytorch', '-o', program]);
    assert.equal(emitted.status, 0, emitted.stderr);
    const compiled = spawnSync(torchPython!.python, ['-m', 'py_compile', program], { encoding: 'utf8' });
    assert.equal(compiled.status, 0, compiled.stderr);
    const r = spawnSync(torchPython!.python, ['-c', CHECK, program], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout) as Record<string, number | boolean | number[]>;
    assert.equal(s.eval_identity, true, 'every one of them is the identity at inference');
    // 307,200 draws each: the sample moments are within 1% of the distribution's.
    assert.ok(Math.abs(s.noise_mean as number) < 0.01 && Math.abs((s.noise_std as number) - 0.5) < 0.005, `GaussianNoise ${s.noise_mean}, ${s.noise_std}`);
    assert.ok(Math.abs((s.gdrop_mean as number) - 1) < 0.01 && Math.abs((s.gdrop_std as number) - Math.sqrt(0.3 / 0.7)) < 0.007, `GaussianDropout ${s.gdrop_mean}, ${s.gdrop_std}`);
    assert.equal(s.sdrop_whole_channels, true, 'SpatialDropout keeps or drops a channel at every position together');
    assert.deepEqual(s.sdrop_values, [0, 1.33333], 'kept channels are scaled by 1 / (1 - rate)');
    // 192 channels, each dropped with probability 1/4: more than 5 standard deviations (0.031) off would be a bug.
    assert.ok(Math.abs((s.sdrop_dropped as number) - 0.25) < 0.16, `dropped ${s.sdrop_dropped}`);
    assert.equal(s.flip_each_whole, true, 'RandomFlip flips whole images left-right, or leaves them');
    assert.ok((s.flip_fraction as number) > 0.2 && (s.flip_fraction as number) < 0.8, `flipped ${s.flip_fraction}`);
  });

  it('mlc train --engine torch trains a model of the new kinds, the same twice under --seed, and saves it in Keras\'s layout', () => {
    const dir = join(scratch, 'saved');
    const args = ['train', spec, '--engine', 'torch', '--epochs', '2', '--limit', '512', '--seed', '3', '--json'];
    const runs = [mlc([...args, '-o', dir]), mlc(args)];
    const reports = runs.map((r) => {
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as { epochs: { loss: number }[]; test: Record<string, number> };
    });
    const histories = reports.map((r) => r.epochs.map((e) => e.loss));
    assert.equal(histories[0].length, 2);
    assert.ok(histories[0].every(Number.isFinite), `finite losses: ${histories[0]}`);
    assert.ok(histories[0][1] < histories[0][0], `the loss falls: ${histories[0]}`);
    assert.deepEqual(histories[1], histories[0], 'noise, dropout and flips are drawn from the seeded generator');
    // TensorFlow.js reads the weights PyTorch wrote (transposed kernels, depthwise groups, alphas) and scores as PyTorch did.
    const evaluated = mlc(['evaluate', dir, '--json']);
    assert.equal(evaluated.status, 0, evaluated.stderr);
    const tfjs = (JSON.parse(evaluated.stdout.trim().split('\n').pop()!) as { scores: Record<string, number> }).scores;
    assert.ok(Math.abs(reports[0].test.loss - tfjs.loss) < 1e-4, `loss: torch ${reports[0].test.loss}, tfjs ${tfjs.loss}`);
    assert.ok(Math.abs(reports[0].test.accuracy - tfjs.accuracy) < 1e-9, `accuracy: torch ${reports[0].test.accuracy}, tfjs ${tfjs.accuracy}`);
  });
});
