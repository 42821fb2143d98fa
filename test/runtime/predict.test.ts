import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DataError } from '../../src/runtime/data/index.js';
import { readPredictInputs } from '../../src/runtime/predict-inputs.js';
import { formatPrediction, topClasses } from '../../src/runtime/run-predict.js';

const scratch = mkdtempSync(join(tmpdir(), 'mlc-predict-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('predict inputs and output', () => {
  it('reads CSV rows (skipping a header) and JSON samples into one batch', async () => {
    const csv = join(scratch, 'rows.csv');
    writeFileSync(csv, 'a,b,c\n1,2,3\n4,5,6\n');
    const json = join(scratch, 'one.json');
    writeFileSync(json, '[[7, 8], [9]]');
    const got = await readPredictInputs([csv, json], [3], 'float32');
    assert.deepEqual(got.xShape, [3, 3]);
    assert.deepEqual(Array.from(got.x), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(got.labels, [`${csv}:2`, `${csv}:3`, json]);
  });

  it('names the row whose size does not fit the input', async () => {
    const csv = join(scratch, 'short.csv');
    writeFileSync(csv, '1,2,3\n4,5\n');
    await assert.rejects(readPredictInputs([csv], [3], 'float32'), (e: unknown) =>
      e instanceof DataError && e.record === `${csv}:2` && /has 2 values; the model's input takes 3/.test(e.message));
  });

  it('rejects what predict used to misread, naming the row', async () => {
    const cases: [string, string, (number | null)[], 'float32' | 'int32', RegExp, { maxTokenId?: number }?][] = [
      ['header-only.csv', 'a,b,c\n', [3], 'float32', /a header but no rows/],
      ['blank.csv', '1,,3\n', [3], 'float32', /value 2 in line 1 is empty/],
      ['nan-first.csv', 'NaN,1,2\n3,4,5\n', [3], 'float32', /value 1 in line 1 is NaN/],
      ['huge.csv', '1e39,1,2\n', [3], 'float32', /beyond the largest float32/],
      ['fraction.csv', '1.9,2\n', [2], 'int32', /is 1\.9, not a whole number/],
      ['outside.csv', '999,2\n', [2], 'int32', /token id 999 .* input_dim 10/, { maxTokenId: 9 }],
      ['int32max.csv', '3e9,2\n', [2], 'int32', /beyond the largest int32/],
      ['ragged.json', '[[1,2],[3,4,5,6]]', [3], 'float32', /\[0\] has 2 values; the model's input takes 3/],
      ['flat.json', '[1,2,3,4,5,6]', [3], 'float32', /holds 6 numbers, not one 3-value sample/],
    ];
    for (const [name, text, shape, dtype, message, opts] of cases) {
      const file = join(scratch, name);
      writeFileSync(file, text);
      await assert.rejects(readPredictInputs([file], shape, dtype, opts), (e: unknown) => {
        assert.ok(e instanceof DataError, `${name}: ${String(e)}`);
        assert.match(e.message, message, name);
        return true;
      });
    }
  });

  it('reads quoted CSV cells, and drops the label column the model was trained with', async () => {
    const file = join(scratch, 'with-label.csv');
    writeFileSync(file, 'a,"b",species\n"1","2",setosa\n3,4,virginica\n');
    const got = await readPredictInputs([file], [2], 'float32', { otherColumns: ['species'] });
    assert.deepEqual(Array.from(got.x), [1, 2, 3, 4]);
  });

  it('lists the top k classes, most probable first, by their saved names', () => {
    const top = topClasses([0.1, 0.6, 0.3], 2, ['cat', 'dog', 'bird']);
    assert.deepEqual(top.map((c) => c.label), ['dog', 'bird']);
    assert.equal(formatPrediction({ input: 'x.png', top }), 'x.png: dog 0.6000 · bird 0.3000');
    assert.equal(formatPrediction({ input: 'r.csv:2', values: [3.14159265, -1] }), 'r.csv:2: 3.14159, -1');
  });
});
