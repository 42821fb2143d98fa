import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildModel, compileModel } from '../../src/runtime/model.js';
import { objectiveOf } from '../../src/runtime/objective.js';
import { NonFiniteLossError, train, type TrainOptions } from '../../src/runtime/train.js';
import { explainNonFinite } from '../../src/runtime/nonfinite.js';
import type { IR } from '../../src/ir/types.js';
import { blobs, chainIR, compileWith, dense, testTf } from './helpers.js';

const classifier = (optimizer = 'adam', args: Record<string, number> = { learning_rate: 0.01 }): IR =>
  chainIR('blobs', [12], 'float32', [dense('dense', 16, 'relu'), dense('dense_1', 3, 'softmax')],
    compileWith('categorical_crossentropy', optimizer, args, ['accuracy']));

async function setup(ir: IR, seed = 3) {
  const tf = await testTf();
  const model = buildModel(tf, ir, { seed });
  compileModel(tf, model, ir);
  const base = { tf, model, objective: objectiveOf(tf, model, ir), batchSize: 32, shuffle: true, seed };
  return base satisfies Partial<TrainOptions>;
}

describe('train', () => {
  it('lowers the loss and raises the accuracy on learnable data', async () => {
    const opts = await setup(classifier());
    const { epochs } = await train({ ...opts, train: blobs(300, 12, 3), epochs: 4 });
    assert.equal(epochs.length, 4);
    assert.ok(epochs[3].loss < epochs[0].loss * 0.5, `loss ${epochs[0].loss} -> ${epochs[3].loss}`);
    assert.ok(epochs[3].accuracy > 0.9, `accuracy ${epochs[3].accuracy}`);
    assert.ok(epochs[0].samplesPerSec > 0);
    opts.model.dispose();
  });

  it('reports validation loss and metrics under val_ names', async () => {
    const opts = await setup(classifier());
    const all = blobs(200, 12, 3);
    const { holdOut } = await import('../../src/runtime/split-tensors.js');
    const { train: t, validation } = holdOut(all, 0.25);
    assert.equal(validation?.count, 50);
    // Keras splits at floor(n·(1 − split)): 10 samples with 0.25 train on 7 and validate on 3.
    const small = holdOut(blobs(10, 12, 3), 0.25);
    assert.deepEqual([small.train.count, small.validation?.count], [7, 3]);
    const { epochs } = await train({ ...opts, train: t, validation, epochs: 1 });
    assert.deepEqual(Object.keys(epochs[0]).sort(), ['accuracy', 'loss', 'samplesPerSec', 'val_accuracy', 'val_loss']);
    opts.model.dispose();
  });

  it('leaks no tensors: the count is the same after every epoch', async () => {
    const opts = await setup(classifier());
    const counts: number[] = [];
    await train({ ...opts, train: blobs(96, 12, 3), validation: blobs(32, 12, 3, 9), epochs: 4, onEpochEnd: () => void counts.push(opts.tf.memory().numTensors) });
    assert.equal(counts.length, 4);
    // Epoch 1 creates the optimizer's slots; from then on nothing may accumulate.
    assert.deepEqual(counts.slice(1), [counts[1], counts[1], counts[1]]);
    opts.model.dispose();
  });

  it('is reproducible with a seed: same weights, same shuffling, same losses', async () => {
    const run = async () => {
      const opts = await setup(classifier(), 11);
      const { epochs } = await train({ ...opts, train: blobs(128, 12, 3), epochs: 2 });
      opts.model.dispose();
      return epochs.map((e) => e.loss);
    };
    assert.deepEqual(await run(), await run());
  });

  it('stops at once on a non-finite loss, naming the epoch, the batch and a likely cause', async () => {
    // Crossentropy is clipped in tfjs (as in Keras), so a regression is what a huge step blows up.
    const ir = chainIR('reg', [12], 'float32', [dense('dense', 16, 'relu'), dense('dense_1', 3)], compileWith('mse', 'sgd', { learning_rate: 1e6 }, []));
    const opts = await setup(ir);
    const data = blobs(320, 12, 3);
    let epochsDone = 0;
    await assert.rejects(
      train({ ...opts, train: data, epochs: 3, onEpochEnd: () => void epochsDone++, explainNonFinite: () => explainNonFinite(ir, 2) }),
      (e: unknown) => {
        assert.ok(e instanceof NonFiniteLossError);
        assert.equal(e.epoch, 1);
        assert.ok(e.batch >= 1 && e.batch <= 10, `batch ${e.batch}`);
        assert.match(e.message, /epoch 1, batch \d+/);
        assert.match(e.hint, /learning rate 1000000 is probably too high/);
        return true;
      },
    );
    assert.equal(epochsDone, 0);
    opts.model.dispose();
  });

  it('explains NaN from unscaled inputs and from crossentropy without softmax', () => {
    const ir = chainIR('x', [4], 'float32', [dense('dense', 3, 'linear')], compileWith('categorical_crossentropy', 'adam', { learning_rate: 0.001 }));
    const hint = explainNonFinite(ir, 255);
    assert.match(hint, /not scaled \(the largest is 255\)/);
    assert.match(hint, /`linear`, not `softmax`/);
  });
});
