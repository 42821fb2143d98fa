/**
 * The PyTorch program's augmentation reads what TensorFlow.js's do: its
 * keras_affine (src/targets/torch/runtime-py.ts) against mlc's tfjs sampler
 * (src/runtime/custom-layers/augment.ts, itself checked against
 * tf.image.transform) for the same images and transforms, every fill mode
 * and interpolation; and its modules act only while training. Factors given
 * as a pair [lower, upper] draw within it in the emitted program.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { RUNTIME_PY } from '../../src/targets/torch/runtime-py.js';
import { affineSampling, applySampling, type FillMode, type Interpolation } from '../../src/runtime/custom-layers/augment.js';
import { assertClose, randomValues, seeded } from '../runtime-kernels/helpers.js';
import { skipWithoutTorch, torchPython } from './helpers.js';
import { emitPyTorch } from '../../src/codegen/pytorch/emit.js';
import { compileSource } from '../../src/ir/pipeline.js';
import { CONTRAST, CONTRAST_IMAGES, contrasts, FACTOR_CASES, IMAGE, SIZE } from '../runtime-kernels/augment-factor-cases.js';

const [N, H, W, C] = [2, 7, 9, 2];
const transforms = [
  [Math.cos(0.7), -Math.sin(0.7), 3, Math.sin(0.7), Math.cos(0.7), -2, 0, 0],
  [1.4, 0.1, -2.4, -0.2, 1.3, -1.1, 0.01, -0.02],
];
const MODES: [FillMode, Interpolation][] = (['reflect', 'wrap', 'constant', 'nearest'] as FillMode[]).flatMap((m) => (['bilinear', 'nearest'] as Interpolation[]).map((i): [FillMode, Interpolation] => [m, i]));

describe('PyTorch augmentation', { skip: skipWithoutTorch('the augmentation tests') }, () => {
  it('keras_affine reads what the TensorFlow.js layers read, in every fill mode and interpolation; the modules are the identity in eval mode', async () => {
    await tf.setBackend('cpu');
    const images = randomValues(seeded(12), N * H * W * C);
    const expected = MODES.map(([mode, interpolation]) =>
      Array.from(applySampling(tf as never, tf.tensor(images, [N, H, W, C]) as never, affineSampling(N, [H, W], [H, W], transforms.flat(), interpolation, mode), [H, W], 0.25).dataSync()));
    const dir = mkdtempSync(join(tmpdir(), 'mlc-augment-'));
    try {
      const script = join(dir, 'check.py');
      writeFileSync(script, `import json, math, sys\nimport numpy as np\nimport torch\nimport torch.nn.functional as F\nfrom torch import nn\n${RUNTIME_PY}\n
images = torch.tensor(${JSON.stringify(Array.from(images))}, dtype=torch.float32).reshape(${N}, ${H}, ${W}, ${C})
transforms = torch.tensor(${JSON.stringify(transforms)}, dtype=torch.float64)
out = [keras_affine(images, transforms, i, m, 0.25).reshape(-1).tolist() for m, i in ${JSON.stringify(MODES)}]
eval_same = []
for module in [KerasRandomTransform("rotation", [0.3], "reflect", "bilinear", 0.0), KerasRandomContrast(0.5, [0, 1]), KerasRandomTransform("zoom", [0.2, None], "constant", "nearest", 0.0)]:
    module.eval()
    eval_same.append(bool(torch.equal(module(images), images)))
    module.train()
    # A small draw (a zoom read back by nearest neighbours) can leave a 7x9 image as it was: one of five seeded draws must change it.
    torch.manual_seed(3)
    eval_same.append(any(not torch.equal(module(images), images) for _ in range(5)))
print(json.dumps({"out": out, "modes": eval_same}))
`);
      const r = spawnSync(torchPython!.python, [script], { encoding: 'utf8', maxBuffer: 64 << 20 });
      assert.equal(r.status, 0, r.stderr);
      const got = JSON.parse(r.stdout) as { out: number[][]; modes: boolean[] };
      MODES.forEach(([mode, interpolation], k) => assertClose(got.out[k]!, expected[k]!, 1e-5, `${mode} ${interpolation}`));
      assert.deepEqual(got.modes, [true, true, true, true, true, true], 'the identity in eval mode, a change in train mode');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('draws within a factor pair [lower, upper] in the emitted program, as Keras 3 defines each layer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlc-augment-factors-'));
    /** Runs the program of `source` in training mode on `values` (channels-last); its output. */
    const run = (name: string, source: string, values: number[], shape: number[]): number[] => {
      const r = compileSource(source, `${name}.model`);
      assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
      const emitted = emitPyTorch(r.ir!, r.facts!);
      assert.ok(emitted.code, emitted.diagnostics.map((d) => d.message).join('; '));
      const program = join(dir, `${name}.py`);
      writeFileSync(program, emitted.code);
      const check = `import importlib.util, json, sys
import torch
spec = importlib.util.spec_from_file_location("emitted", sys.argv[1])
program = importlib.util.module_from_spec(spec)
spec.loader.exec_module(program)
torch.manual_seed(0)
model = program.build_model()
model.train()
x = torch.tensor(${JSON.stringify(values)}, dtype=torch.float32).reshape(${shape.join(', ')})
print(json.dumps(model(x).reshape(-1).tolist()))
`;
      const p = spawnSync(torchPython!.python, ['-c', check, program], { encoding: 'utf8' });
      assert.equal(p.status, 0, p.stderr);
      return JSON.parse(p.stdout.trim().split('\n').pop()!) as number[];
    };
    try {
      FACTOR_CASES.forEach((c, i) => {
        const out = run(`case${i}`, `input ${SIZE}x${SIZE}x1\n${c.line}\n`, IMAGE, [1, SIZE, SIZE, 1]);
        assert.deepEqual(out, c.expected, c.name);
      });
      const drawn = contrasts(CONTRAST_IMAGES, run('contrast', `input 2x2x1\n${CONTRAST.line}\n`, CONTRAST_IMAGES, [CONTRAST.batch, 2, 2, 1]));
      assert.ok(drawn.every((f) => f >= CONTRAST.lower - 1e-5 && f <= CONTRAST.upper + 1e-5), `contrasts ${drawn.join(', ')}`);
      assert.ok(Math.max(...drawn) > 1.3 && Math.min(...drawn) < 1, `contrasts from ${Math.min(...drawn)} to ${Math.max(...drawn)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
