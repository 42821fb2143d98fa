import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { writeDirAtomic } from '../../src/runtime/atomic-dir.js';
import { buildModel, compileModel } from '../../src/runtime/model.js';
import { objectiveOf } from '../../src/runtime/objective.js';
import { loadModelDir, saveModelDir, type Checkpoint } from '../../src/runtime/saved-model.js';
import { train } from '../../src/runtime/train.js';
import type { Tensor } from '../../src/runtime/tf.js';
import { compileSource } from '../../src/ir/pipeline.js';
import type { IR } from '../../src/ir/types.js';
import { blobs, testTf } from './helpers.js';

function compiledIR(source: string): IR {
  const r = compileSource(source, 'spec.model');
  assert.ok(r.ir, JSON.stringify(r.diagnostics));
  return r.ir;
}

const scratch = mkdtempSync(join(tmpdir(), 'mlc-saved-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('atomic folder writes', () => {
  it('replaces the folder as a whole', () => {
    const dir = join(scratch, 'replace');
    writeDirAtomic(dir, { 'a.txt': 'one', 'b.txt': 'two' });
    writeDirAtomic(dir, { 'a.txt': 'three' }, () => true);
    assert.deepEqual(readdirSync(dir), ['a.txt']);
    assert.equal(readFileSync(join(dir, 'a.txt'), 'utf8'), 'three');
    assert.deepEqual(readdirSync(scratch).filter((f) => f.startsWith('.')), [], 'no temporary folders left behind');
  });

  it('leaves the previous folder intact when a write fails', () => {
    const dir = join(scratch, 'intact');
    writeDirAtomic(dir, { 'model.json': 'old', 'weights.bin': 'old weights' });
    // A file in a sub-folder that does not exist cannot be written: the save fails half-way.
    assert.throws(() => writeDirAtomic(dir, { 'model.json': 'new', 'missing/weights.bin': 'x' }, () => true));
    assert.equal(readFileSync(join(dir, 'model.json'), 'utf8'), 'old');
    assert.equal(readFileSync(join(dir, 'weights.bin'), 'utf8'), 'old weights');
    assert.deepEqual(readdirSync(scratch).filter((f) => f.startsWith('.')), []);
  });
});

describe('saved models', () => {
  it('loads a seeded model whose layers draw (augmentation, noise) and mlc\'s own layers, with the same outputs', async () => {
    const tf = await testTf();
    const ir = compiledIR('input 8x8x2\nrandomflip\nrandomrotation 0.1\nrandomcrop 6 6\ngaussiannoise 0.1\nnormalization mean=[0.5, 1] variance=[2, 3]\nconv2dtranspose 2 3 relu strides=2 padding=same output_padding=1\nflatten\ndense 2 softmax\ncompile loss=categorical_crossentropy optimizer=adam\n');
    const model = buildModel(tf, ir, { seed: 9 });
    compileModel(tf, model, ir);
    const dir = join(scratch, 'seeded-augmentation');
    await saveModelDir(tf, model, dir, ir, { epoch: 0, epochs: 1, history: [], batchSize: 8, optimizerState: false }, 'input 8x8x2\n');
    const loaded = await loadModelDir(tf, dir);
    const x = tf.randomUniform([2, 8, 8, 2], 0, 1, 'float32', 3);
    assert.deepEqual(await (loaded.model.predict(x) as Tensor).data(), await (model.predict(x) as Tensor).data());
    loaded.model.dispose();
    model.dispose();
  });

  it('round-trips weights, outputs and optimizer state', async () => {
    const tf = await testTf();
    const ir = compiledIR('input 6\ndense 5 relu\ndense 2 softmax\ncompile loss=categorical_crossentropy optimizer=adam(learning_rate=0.01)\n');
    const model = buildModel(tf, ir, { seed: 5 });
    compileModel(tf, model, ir);
    await train({ tf, model, objective: objectiveOf(tf, model, ir), train: blobs(64, 6, 2), epochs: 1, batchSize: 16, shuffle: false });
    const checkpoint: Checkpoint = { epoch: 1, epochs: 2, history: [], batchSize: 16, optimizerState: true, classNames: ['no', 'yes'] };
    const dir = join(scratch, 'model');
    await saveModelDir(tf, model, dir, ir, checkpoint, 'input 6\n');
    assert.deepEqual(readdirSync(dir).sort(), ['checkpoint.json', 'ir.json', 'model.json', 'spec.model', 'weights.bin']);

    const loaded = await loadModelDir(tf, dir);
    const x = tf.tensor(blobs(4, 6, 2, 7).xs[0].values, [4, 6]);
    const before = await (model.predict(x) as Tensor).data();
    const afterLoad = await (loaded.model.predict(x) as Tensor).data();
    assert.deepEqual(Array.from(afterLoad), Array.from(before));
    assert.deepEqual(loaded.checkpoint, checkpoint);
    assert.equal(loaded.source, 'input 6\n');
    assert.deepEqual(loaded.ir.nodes.map((n) => n.name), ['dense', 'dense_1']);
    // Adam's moments came back: the restored optimizer holds as many variables as the trained one.
    const saved = await model.optimizer.getWeights();
    const restored = await loaded.model.optimizer.getWeights();
    assert.ok(restored.length > 0);
    assert.equal(restored.length, saved.length);
    assert.deepEqual(Array.from(await restored[1].tensor.data()), Array.from(await saved[1].tensor.data()));
    model.dispose();
    loaded.model.dispose();
    x.dispose();
  });

  it('says what is missing when a folder is not a saved model', async () => {
    const tf = await testTf();
    const dir = join(scratch, 'empty');
    writeDirAtomic(dir, {});
    await assert.rejects(loadModelDir(tf, dir), /not a saved model: model\.json is missing/);
    assert.ok(existsSync(dir));
  });
});
