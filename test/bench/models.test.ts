/**
 * The bench's reference models must be the spec's architectures: parameter
 * counts from tfjs-layers building the hand-written models, checked against
 * the Keras layer formulas (and LeNet-5's documented 44,426), and PyTorch's
 * versions checked against tfjs's (skipped where torch is not importable).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HANDWRITTEN } from '../../bench/handwritten/models.js';
import { loadMnist, readMnistFile, writeMnistFile, PIXELS } from '../../bench/mnist-arrays.js';
import { BENCH_MODELS, type ModelName } from '../../bench/models.js';
import { findTorchPython } from '../../bench/python.js';
import { selectBackend, type TfModule } from '../../src/runtime/backend/select.js';

// Keras's counts: Dense = in·units + units; Conv2D = k·k·in·filters + filters.
const dense = (input: number, units: number): number => input * units + units;
const conv = (k: number, input: number, filters: number): number => k * k * input * filters + filters;
const EXPECTED: Record<ModelName, number> = {
  mlp: dense(784, 512) + dense(512, 10),
  cnn: conv(5, 1, 32) + conv(5, 32, 64) + dense(10 * 10 * 64, 128) + dense(128, 10),
  lenet5: 44_426, // the tutorial's model.summary()
};

let tf: TfModule;
before(async () => {
  tf = (await selectBackend('cpu')).tf;
});

describe('hand-written tfjs bench models', () => {
  for (const m of BENCH_MODELS) {
    it(`${m.name} has the spec's parameter count and input shape`, () => {
      const model = HANDWRITTEN[m.name](tf);
      assert.equal(model.countParams(), EXPECTED[m.name]);
      assert.deepEqual(model.inputs[0]!.shape, [null, ...m.input]);
      assert.deepEqual(model.outputs[0]!.shape, [null, 10]);
      model.dispose();
    });
  }
  it("LeNet-5's documented count agrees with the layer formulas (valid padding, 2x2 pools)", () => {
    assert.equal(EXPECTED.lenet5, conv(5, 1, 6) + conv(5, 6, 16) + dense(4 * 4 * 16, 120) + dense(120, 84) + dense(84, 10));
  });
});

describe('PyTorch bench models', () => {
  const torch = findTorchPython(process.env.MLC_BENCH_PYTHON);
  it('have the same parameter counts as the tfjs ones', { skip: torch ? false : 'python3-torch not importable' }, () => {
    const code = [
      'import sys, json', "sys.path.insert(0, 'bench')", 'import torch_train as t',
      'print(json.dumps({k: sum(p.numel() for p in v[0]().parameters()) for k, v in t.MODELS.items()}))',
    ].join('\n');
    const r = spawnSync(torch!.python, ['-c', code], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), EXPECTED);
  });
});

describe('bench MNIST arrays', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'mlc-bench-mnist-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('interleave the classes and keep pixels in [0, 1]', () => {
    const data = loadMnist(30);
    assert.deepEqual(Array.from(data.labels.subarray(0, 12)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    assert.equal(data.pixels.length, 30 * PIXELS);
    assert.ok(data.pixels.every((p) => p >= 0 && p <= 1));
    assert.ok(data.pixels.some((p) => p > 0.5), 'digits have ink');
  });

  it('read back from the file exactly as written', () => {
    const data = loadMnist(25);
    const file = join(scratch, 'm.bin');
    writeMnistFile(file, data);
    const back = readMnistFile(file);
    assert.equal(back.count, 25);
    assert.deepEqual(back.labels, data.labels);
    assert.deepEqual(back.pixels, data.pixels);
  });
});
