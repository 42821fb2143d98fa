import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadData } from '../../src/runtime/data/index.js';
import { assertDataError, request, tempDir } from './helpers.js';

describe('json:FILE', () => {
  const dir = tempDir();
  const write = (name: string, value: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
    return file;
  };
  const ids = (extra: object = {}) => ({ inputDtype: 'int32' as const, outputUnits: 1, labelMode: 'binary' as const, ...extra });

  const records = write('records.json', [
    { tokens: [5, 6, 7], label: 1 },
    { tokens: [8], label: 0 },
    { tokens: [1, 2, 3, 4, 9], label: 1 },
  ]);

  it('pads at the front and cuts from the front to a fixed length, like pad_sequences', async () => {
    const d = await loadData(request(`json:${records}`, { inputShape: [4], ...ids() }));
    assert.ok(d.train.x instanceof Int32Array);
    assert.deepEqual(d.train.xShape, [3, 4]);
    // Classes in turn: the label-0 record first, then the label-1 records in file order.
    assert.deepEqual(Array.from(d.train.x), [0, 0, 0, 8, 0, 5, 6, 7, 2, 3, 4, 9]);
    assert.deepEqual(Array.from(d.train.y), [0, 1, 1]);
    assert.deepEqual(d.train.yShape, [3, 1]);
  });

  it('pads to the longest sequence for a `?` input', async () => {
    const d = await loadData(request(`json:${records}`, { inputShape: [null], ...ids() }));
    assert.deepEqual(d.train.xShape, [3, 5]);
    assert.deepEqual(Array.from(d.train.x.subarray(0, 10)), [0, 0, 0, 0, 8, 0, 0, 5, 6, 7]);
  });

  it('reads the {"x": [...], "y": [...]} layout and holds out every 5th sequence of each class', async () => {
    // Sequence i (1-based) is [i, i + 1] with label i % 2: the 5th of each class is 10 and 9.
    const x = Array.from({ length: 10 }, (_, k) => [k + 1, k + 2]);
    const file = write('xy.json', { x, y: x.map(([i]) => i % 2) });
    const d = await loadData(request(`json:${file}`, { inputShape: [2], inputDtype: 'int32', outputUnits: 2, labelMode: 'onehot' }));
    assert.deepEqual(Array.from(d.train.x), [2, 3, 1, 2, 4, 5, 3, 4, 6, 7, 5, 6, 8, 9, 7, 8]);
    assert.deepEqual(Array.from(d.test!.x), [10, 11, 9, 10]);
    assert.deepEqual(Array.from(d.test!.y), [1, 0, 0, 1]);
  });

  it('gives a float input with a trailing 1 its [N, L, 1] shape', async () => {
    const file = write('series.json', { x: [[0.5, 1.5], [2.5]], y: [0.25, 0.75] });
    const d = await loadData(request(`json:${file}`, { inputShape: [null, 1], outputUnits: 1, labelMode: 'regression' }));
    assert.ok(d.train.x instanceof Float32Array);
    assert.deepEqual(d.train.xShape, [2, 2, 1]);
    assert.deepEqual(Array.from(d.train.x), [0.5, 1.5, 0, 2.5]);
    assert.deepEqual(Array.from(d.train.y), [0.25, 0.75]);
  });

  it('rejects a non-integer, negative or too large token id, naming the record', async () => {
    const frac = write('frac.json', [
      { tokens: [1], label: 0 },
      { tokens: [2, 2.5], label: 1 },
    ]);
    await assertDataError(() => loadData(request(`json:${frac}`, { inputShape: [null], ...ids() })), {
      message: /token 2 in record 2 is 2.5, not a whole number/,
      file: frac,
      record: 'record 2',
    });
    const negative = write('neg.json', [{ tokens: [-1], label: 0 }]);
    await assertDataError(() => loadData(request(`json:${negative}`, { inputShape: [null], ...ids() })), {
      message: /token 1 in record 1 is -1; token ids cannot be negative/,
      file: negative,
      record: 'record 1',
    });
    await assertDataError(() => loadData(request(`json:${records}`, { inputShape: [null], ...ids({ maxTokenId: 7 }) })), {
      message: /token id 8 in record 2 is not below the embedding's input_dim 8/,
      file: records,
      record: 'record 2',
      help: /at least 9/,
    });
  });

  it('rejects JSON of the wrong structure', async () => {
    const object = write('object.json', { sequences: [], labels: [] });
    await assertDataError(() => loadData(request(`json:${object}`, { inputShape: [null], ...ids() })), {
      message: /holds an object with keys "sequences", "labels"; expected an array of records/,
      file: object,
    });
    const bad = write('badrecord.json', [{ tokens: [1], label: 0 }, [1, 2]]);
    await assertDataError(() => loadData(request(`json:${bad}`, { inputShape: [null], ...ids() })), {
      message: /record 2 is an array, not \{"tokens"/,
      file: bad,
      record: 'record 2',
    });
    const words = write('words.json', [{ tokens: ['the', 'cat'], label: 0 }]);
    await assertDataError(() => loadData(request(`json:${words}`, { inputShape: [null], ...ids() })), {
      message: /token 1 of record 1 is a string, not a number/,
      file: words,
      record: 'record 1',
    });
    const label = write('label.json', [{ tokens: [1], label: 'pos' }]);
    await assertDataError(() => loadData(request(`json:${label}`, { inputShape: [null], ...ids() })), {
      message: /label of record 1 is a string/,
      file: label,
      record: 'record 1',
    });
    const lengths = write('lengths.json', { x: [[1], [2]], y: [1] });
    await assertDataError(() => loadData(request(`json:${lengths}`, { inputShape: [null], ...ids() })), {
      message: /"x" has 2 sequences but "y" has 1 labels/,
      file: lengths,
    });
  });

  it('rejects invalid JSON with its line, and an input that is not a sequence', async () => {
    const broken = write('broken.json', '[\n  {"tokens": [1], "label": 0},\n  {"tokens": [2] "label": 1}\n]');
    const e = await assertDataError(() => loadData(request(`json:${broken}`, { inputShape: [null], ...ids() })), {
      message: /not valid JSON/,
      file: broken,
    });
    assert.equal(e.span?.line, 3);
    await assertDataError(() => loadData(request(`json:${records}`, { inputShape: [4, 4], ...ids() })), {
      message: /one token sequence per sample; the spec's input is 4x4/,
      file: records,
      help: /embedding/,
    });
  });

  it('rejects a label that binary_crossentropy cannot take', async () => {
    const file = write('three.json', [
      { tokens: [1], label: 0 },
      { tokens: [1], label: 2 },
    ]);
    await assertDataError(() => loadData(request(`json:${file}`, { inputShape: [null], ...ids() })), {
      message: /^label 2 in record 2 is not 0 or 1, which binary_crossentropy needs$/,
      file,
      record: 'record 2',
      help: /dense 3 softmax/,
    });
  });
});
