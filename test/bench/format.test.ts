import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deepSpec } from '../../bench/compiler-speed.js';
import { median } from '../../bench/stats.js';
import { figure, formatTable, ratio } from '../../bench/table.js';
import { samplesPerSec } from '../../bench/training.js';

describe('bench tables', () => {
  it('aligns labels left and figures right, every row as wide as the rule', () => {
    const text = formatTable(['model', 'rate'], [['mlp', '1285'], ['lenet-5', '95.3']]);
    const lines = text.split('\n');
    assert.equal(lines[0], 'model    rate');
    assert.equal(lines[1], '-------  ----');
    assert.equal(lines[2], 'mlp      1285');
    assert.equal(lines[3], 'lenet-5  95.3');
  });

  it('left-aligns as many leading columns as asked', () => {
    const text = formatTable(['k', 'v'], [['cpu', 'x'], ['os', 'linux']], 2);
    assert.equal(text.split('\n')[2], 'cpu  x');
  });

  it('rounds figures to three significant digits and writes ratios with ×', () => {
    assert.equal(figure(1285.4), '1285');
    assert.equal(figure(95.31), '95.3');
    assert.equal(figure(0.25149), '0.251');
    assert.equal(ratio(3, 2), '1.50×');
    assert.equal(ratio(3, undefined), '-');
    assert.equal(ratio(3, 0), '-');
  });
});

describe('bench statistics and parsing', () => {
  it('takes the median of odd and even counts', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });

  it("reads samples/s from mlc train's report (last epoch) and from a flat result", () => {
    const report = { backend: 'wasm', epochs: [{ loss: 1, samplesPerSec: 10 }, { loss: 0.5, samplesPerSec: 12 }] };
    assert.equal(samplesPerSec(report), 12);
    assert.equal(samplesPerSec({ samplesPerSec: 7 }), 7);
    assert.equal(samplesPerSec({ epochs: [] }), undefined);
    assert.equal(samplesPerSec(undefined), undefined);
  });

  it('generates the deep spec with one input, N hidden dense layers and the classifier', () => {
    const lines = deepSpec(4).split('\n').filter((l) => l && !l.startsWith('#'));
    assert.deepEqual(lines, ['input 64', 'dense 64 relu', 'dense 64 relu', 'dense 64 relu', 'dense 64 relu', 'dense 10 softmax']);
  });
});
