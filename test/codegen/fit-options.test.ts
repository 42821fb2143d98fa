/**
 * The fit section's schedule, callbacks and class weights in emitted code:
 * train() sets Keras's scheduled rate before every batch, early stopping
 * stops and restores, model_checkpoint saves the best epoch, and the class
 * weights reach model.fit.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { compileSpec, emitSpec, makeScratch, removeScratch, writeEmitted } from './helpers.js';

interface EmittedTraining {
  train(options: { data?: string; saveTo?: string; log?: (line: string) => void }): Promise<{ history: tf.History; model: tf.LayersModel }>;
}

describe('emitted fit options', () => {
  let scratch: string;
  before(() => {
    scratch = makeScratch();
  });
  after(() => removeScratch(scratch));

  it('schedule, early stopping with restored weights, best-only checkpoints and balanced class weights', async () => {
    // 80 rows, 3 of every 4 of class 0; 64 train after the loader holds every 5th out: 2 batches of 32 per epoch.
    const rows = Array.from({ length: 80 }, (_, i) => {
      const c = i % 4 === 0 ? 1 : 0;
      return `${c + Math.sin(i)},${Math.cos(i)},${c * 2 - Math.sin(3 * i)},${i % 7},${c}`;
    });
    const csv = join(scratch, 'imbalanced.csv');
    writeFileSync(csv, `a,b,c,d,label\n${rows.join('\n')}\n`);
    const emitted = await emitSpec(compileSpec('test/codegen/specs/fit-options.model'));
    assert.ok(emitted.helpers.some((h) => h.path === 'mlc-fit/schedules.ts'), 'the fit helpers are copied along');
    assert.match(emitted.code!, /classWeight: classWeightOf\(dataset\.train\)/);
    const mod = (await import(pathToFileURL(writeEmitted(scratch, 'fit-options', emitted)).href)) as EmittedTraining;
    const lines: string[] = [];
    const saveTo = join(scratch, 'best');
    const { history, model } = await mod.train({ data: `csv:${csv}`, saveTo, log: (l) => lines.push(l) });
    assert.equal((history.history.loss as number[]).length, 2, lines.join('\n'));
    assert.ok(lines.includes('early_stopping: stopped after epoch 2'), lines.join('\n'));
    assert.ok(lines.includes('early_stopping: restored the weights of epoch 1, the best loss'), lines.join('\n'));
    assert.ok(lines.includes(`model_checkpoint: saved epoch 1 to ${saveTo}`));
    assert.ok(existsSync(join(saveTo, 'model.json')));
    // The rate of the last batch run (step 3): ExponentialDecay(0.01, 2, 0.5) at step 3.
    const lr = (model.optimizer as unknown as { learningRate: number }).learningRate;
    assert.ok(Math.abs(lr - 0.01 * 0.5 ** (3 / 2)) < 1e-12, `learning rate ${lr}`);
    model.dispose();
  });
});
