/** `mlc export DIR --onnx FILE` as a user runs it: the file, and one clear line for each mistake. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import * as ort from 'onnxruntime-web';
import { compileSource } from '../../src/ir/pipeline.js';
import { buildModel } from '../../src/runtime/model.js';
import { saveModelDir } from '../../src/runtime/saved-model.js';
import { runCli } from '../cli/run-cli.js';
import { testTf } from '../runtime/helpers.js';
import { seeded } from './onnx-helpers.js';

ort.env.wasm.numThreads = 1;

const scratch = mkdtempSync(join(tmpdir(), 'mlc-export-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const SPEC = '# a small CNN\ninput 8x8x1\nconv 2 3 relu -> maxpool 2\nflatten\ndense 3 softmax\n';

describe('mlc export --onnx', () => {
  const dir = join(scratch, 'saved');

  before(async () => {
    const tf = await testTf();
    const { ir } = compileSource(SPEC, 'cnn.model');
    const model = buildModel(tf, ir!, { seed: 3 });
    await saveModelDir(tf, model, dir, ir!, { epoch: 0, epochs: 0, history: [], batchSize: 1, optimizerState: false }, SPEC);
    model.dispose();
  });

  it('writes a model that onnxruntime runs, and says what it wrote', async () => {
    const file = join(scratch, 'out', 'cnn.onnx');
    const r = runCli(['export', dir, '--onnx', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^wrote .*cnn\.onnx: ONNX opset 17, 4 layers, [\d.]+ KiB\n$/);
    const session = await ort.InferenceSession.create(readFileSync(file));
    const out = await session.run({ input_layer: new ort.Tensor('float32', new Float32Array(2 * 64).fill(0.5), [2, 8, 8, 1]) });
    assert.deepEqual(out.dense.dims, [2, 3]);
    const row = Array.from(out.dense.data as Float32Array).slice(0, 3);
    assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5, 'softmax rows sum to 1');
    await session.release();
  });

  it('reads the saved folder without loading TensorFlow.js', () => {
    const log = join(scratch, 'resolved.txt');
    const hook = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) { appendFileSync(${JSON.stringify(log)}, specifier + '\\n'); return next(specifier, context); }`;
    const register = `import { register } from 'node:module'; register(${JSON.stringify('data:text/javascript,' + encodeURIComponent(hook))}, ${JSON.stringify(pathToFileURL('./').href)});`;
    const r = runCli(['export', dir, '--onnx', join(scratch, 'quick.onnx')], { nodeArgs: ['--import', 'data:text/javascript,' + encodeURIComponent(register)] });
    assert.equal(r.status, 0, r.stderr);
    const resolved = readFileSync(log, 'utf8');
    assert.match(resolved, /protobufjs/, 'the hook saw the export being loaded');
    assert.doesNotMatch(resolved, /@tensorflow/);
  });

  it('a model trained by `mlc train -o` predicts in onnxruntime what `mlc predict` prints', async () => {
    const trained = join(scratch, 'mlp');
    const t = runCli(['train', 'specs/mnist-mlp.model', '--epochs', '1', '--limit', '512', '--seed', '2', '--backend', 'cpu', '-o', trained]);
    assert.equal(t.status, 0, t.stderr);
    const file = join(scratch, 'mlp.onnx');
    assert.equal(runCli(['export', trained, '--onnx', file]).status, 0);
    const rnd = seeded(4);
    const samples = Array.from({ length: 3 }, () => Array.from({ length: 784 }, () => Math.round(rnd() * 100) / 100));
    writeFileSync(join(scratch, 'samples.json'), JSON.stringify(samples));
    const p = runCli(['predict', trained, join(scratch, 'samples.json'), '--top', '10', '--json', '--backend', 'cpu']);
    assert.equal(p.status, 0, p.stderr);
    const printed = JSON.parse(p.stdout.trim().split('\n').pop()!) as { predictions: { top: { index: number; probability: number }[] }[] };
    const session = await ort.InferenceSession.create(readFileSync(file));
    const out = await session.run({ input_layer: new ort.Tensor('float32', Float32Array.from(samples.flat()), [3, 784]) });
    const probabilities = out.dense_1.data as Float32Array;
    printed.predictions.forEach((prediction, i) => {
      assert.equal(prediction.top.length, 10);
      for (const { index, probability } of prediction.top) assert.ok(Math.abs(probabilities[i * 10 + index] - probability) <= 1e-4, `sample ${i} class ${index}`);
    });
    await session.release();
  });

  it('asks for a format when none is given', () => {
    const r = runCli(['export', dir]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /say which format to write, e\.g\. --onnx FILE/);
  });

  it('refuses to write a file that does not end in .onnx', () => {
    const r = runCli(['export', dir, '--onnx', join(scratch, 'cnn.model')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--onnx takes a file name ending in \.onnx/);
    assert.equal(existsSync(join(scratch, 'cnn.model')), false);
  });

  it('says when the folder is not a saved model', () => {
    const r = runCli(['export', join(scratch, 'nowhere'), '--onnx', join(scratch, 'x.onnx')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /nowhere: error: not a saved model: ir\.json is missing \(save one with `mlc train SPEC -o /);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });

  it('points at the layer in spec.model when the weights do not match the IR', () => {
    const broken = join(scratch, 'broken');
    mkdirSync(broken);
    for (const f of ['model.json', 'weights.bin', 'checkpoint.json', 'spec.model']) writeFileSync(join(broken, f), readFileSync(join(dir, f)));
    const ir = JSON.parse(readFileSync(join(dir, 'ir.json'), 'utf8'));
    ir.nodes[3].name = 'dense_renamed';
    writeFileSync(join(broken, 'ir.json'), JSON.stringify(ir));
    const r = runCli(['export', broken, '--onnx', join(scratch, 'broken.onnx')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /spec\.model:5:1: error: the saved weights have no `dense_renamed\/kernel`/);
    assert.match(r.stderr, /dense 3 softmax/, 'quotes the line');
    assert.equal(existsSync(join(scratch, 'broken.onnx')), false, 'nothing written');
  });
});
