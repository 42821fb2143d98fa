/**
 * Graph models with several inputs and several outputs, end to end through
 * the CLI: trained on field-keyed JSON data (a field per input and output),
 * losses and metrics reported per output as Keras names them (`cls_loss`,
 * `cls_accuracy`), saved, evaluated and predicted; and the errors that name
 * a missing field.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { IR, IRNode } from '../../src/ir/types.js';
import { findLayer } from '../../src/layers/index.js';
import { fillArgs } from '../layers/helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'mlc-graph-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function mlc(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function node(kind: string, id: string, inputs: string[], args: Record<string, unknown> = {}): IRNode {
  const def = findLayer(kind)!;
  return { id, kind: def.kind, kerasClass: def.kerasClass, name: id, args: fillArgs(def, args as never), inputs };
}

/** Two inputs (a 6-feature vector and a 4-step sequence), two heads: 3 classes and one regression value. */
const IR_FILE: IR = {
  irVersion: 1, name: 'two_heads',
  inputs: [{ id: 'a', name: 'features', shape: [6], dtype: 'float32' }, { id: 'b', name: 'series', shape: [4, 2], dtype: 'float32' }],
  nodes: [
    node('dense', 'fa', ['a'], { units: 8, activation: 'relu' }),
    node('flatten', 'fb', ['b']),
    node('dense', 'fb2', ['fb'], { units: 8, activation: 'relu' }),
    node('concat', 'joined', ['fa', 'fb2']),
    node('dense', 'cls', ['joined'], { units: 3, activation: 'softmax' }),
    node('dense', 'value', ['joined'], { units: 1 }),
  ],
  outputs: ['cls', 'value'],
  outputNames: ['kind', 'size'],
  compile: {
    loss: { kind: 'sparse_categorical_crossentropy', size: 'mse' },
    loss_weights: { kind: 1, size: 0.5 },
    optimizer: { name: 'adam', args: { learning_rate: 0.02, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false } },
    metrics: { kind: ['accuracy'], size: ['mae'] },
  },
  fit: { epochs: 8, batch_size: 16, validation_split: 0, shuffle: true, seed: 3 },
};

/** Learnable data: the class is the argmax of the first three features, the value the sum of the series. */
function fieldData(count: number) {
  let s = 7;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const features: number[][] = [];
  const series: number[][][] = [];
  const kind: number[] = [];
  const size: number[] = [];
  for (let i = 0; i < count; i++) {
    const f = Array.from({ length: 6 }, () => rnd());
    const q = Array.from({ length: 4 }, () => [rnd(), rnd()]);
    features.push(f);
    series.push(q);
    kind.push(f.slice(0, 3).indexOf(Math.max(...f.slice(0, 3))));
    size.push(q.flat().reduce((a, b) => a + b, 0) / 4);
  }
  return { features, series, kind, size };
}

describe('a two-input, two-output graph trains, evaluates and predicts', () => {
  const spec = join(scratch, 'two_heads.json');
  const data = join(scratch, 'data.json');
  const dir = join(scratch, 'saved');
  let report: { epochs: Record<string, number>[]; test?: Record<string, number> };

  before(() => {
    writeFileSync(spec, JSON.stringify(IR_FILE));
    writeFileSync(data, JSON.stringify(fieldData(200)));
    const r = mlc('train', spec, '--data', `json:${data}`, '--backend', 'cpu', '--json', '-o', dir);
    assert.equal(r.status, 0, r.stderr);
    report = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  });

  it('reports the total loss and each output\'s loss and metrics, named after the outputs', () => {
    const first = report.epochs[0];
    for (const key of ['loss', 'kind_loss', 'size_loss', 'kind_accuracy', 'size_mae']) assert.ok(Number.isFinite(first[key]), `${key} in ${Object.keys(first)}`);
    // The total is the weighted sum of the outputs' losses (loss_weights kind 1, size 0.5).
    const last = report.epochs.at(-1)!;
    assert.ok(Math.abs(last.loss - (last.kind_loss + 0.5 * last.size_loss)) < 1e-3 * Math.max(1, last.loss), JSON.stringify(last));
    assert.ok(last.loss < first.loss, `loss fell: ${first.loss} -> ${last.loss}`);
    assert.ok(report.test && Number.isFinite(report.test.kind_accuracy), 'the held-out fifth is scored');
  });

  it('evaluates the saved model on the same fields', () => {
    const r = mlc('evaluate', dir, '--backend', 'cpu', '--json');
    assert.equal(r.status, 0, r.stderr);
    const scores = JSON.parse(r.stdout.trim().split('\n').at(-1)!).scores;
    assert.ok(Math.abs(scores.kind_accuracy - report.test!.kind_accuracy) < 1e-6);
  });

  it('predicts each output by name: classes for the classifier, values for the regression', () => {
    const one = join(scratch, 'one.json');
    const d = fieldData(2);
    writeFileSync(one, JSON.stringify({ features: d.features, series: d.series }));
    const r = mlc('predict', dir, one, '--backend', 'cpu', '--json');
    assert.equal(r.status, 0, r.stderr);
    const predictions = JSON.parse(r.stdout.trim().split('\n').at(-1)!).predictions;
    assert.equal(predictions.length, 2);
    assert.deepEqual(predictions[0].outputs.map((o: { name: string }) => o.name), ['kind', 'size']);
    assert.equal(predictions[0].outputs[0].top.length, 3);
    assert.equal(predictions[0].outputs[1].values.length, 1);
  });

  it('a missing field is an error naming the input and the fields there are', () => {
    const bad = join(scratch, 'bad.json');
    const d = fieldData(10);
    writeFileSync(bad, JSON.stringify({ features: d.features, serie: d.series, kind: d.kind, size: d.size }));
    const r = mlc('train', spec, '--data', `json:${bad}`, '--backend', 'cpu');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /no field `series` for the model's input `series`/);
    assert.match(r.stderr, /did you mean `serie`/);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
  });
});
