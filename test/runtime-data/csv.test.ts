import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadData } from '../../src/runtime/data/index.js';
import { assertDataError, request, tempDir } from './helpers.js';

describe('csv:FILE', () => {
  const dir = tempDir();
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  // Row i (1-based) has features i, i/10, -i and label i % 3.
  const rows = Array.from({ length: 15 }, (_, k) => [k + 1, (k + 1) / 10, -(k + 1), (k + 1) % 3]);
  const table = write('table.csv', 'a,b,c,label\n' + rows.map((r) => r.join(',')).join('\n') + '\n');
  const features = (rowNumbers: number[]) => Float32Array.from(rowNumbers.flatMap((i) => rows[i - 1].slice(0, 3)));

  it('reads numeric features and the last column as the label; holds out every 5th of each class', async () => {
    const d = await loadData(request(`csv:${table}`, { inputShape: [3], outputUnits: 3 }));
    // Class 0 is rows 3, 6, 9, 12, 15; class 1 rows 1, 4, ..., 13; class 2 rows 2, 5, ..., 14.
    // The 5th of each goes to test; train takes the classes in turn.
    const trainRows = [3, 1, 2, 6, 4, 5, 9, 7, 8, 12, 10, 11];
    const testRows = [15, 13, 14];
    assert.deepEqual(d.train.x, features(trainRows));
    assert.deepEqual(d.train.xShape, [12, 3]);
    assert.deepEqual(
      Array.from(d.train.y),
      trainRows.map((i) => i % 3),
    );
    assert.deepEqual(d.test?.x, features(testRows));
    assert.deepEqual(Array.from(d.test!.y), [0, 1, 2]);
    assert.match(d.description, /12 train, 3 test/);
  });

  it('keeps the file order for a regression target, every 5th row held out', async () => {
    const d = await loadData(request(`csv:${table}`, { inputShape: [3], outputUnits: 1, labelMode: 'regression', limit: 4 }));
    assert.deepEqual(d.train.x, features([1, 2, 3, 4]));
    assert.deepEqual(d.test?.x, features([5, 10, 15]));
    assert.deepEqual(Array.from(d.test!.y), [2, 1, 0]);
  });

  it('takes a named label column, class names as words, with quotes and a BOM', async () => {
    const file = write('iris.csv', '\uFEFFsepal,species,petal\n5.1,setosa,1.4\n"7.0",versicolor,4.7\n6.3,virginica,6.0\n4.9,setosa,1.3\n');
    const d = await loadData(request(`csv:${file}`, { inputShape: [2], outputUnits: 3, labelMode: 'onehot', labelColumn: 'species' }));
    assert.deepEqual(d.classNames, ['setosa', 'versicolor', 'virginica']);
    assert.deepEqual(d.train.x, Float32Array.from([5.1, 1.4, 7.0, 4.7, 6.3, 6.0, 4.9, 1.3]));
    assert.deepEqual(Array.from(d.train.y), [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0]);
    assert.equal(d.test, undefined);
  });

  it('encodes binary and regression labels', async () => {
    const file = write('bin.csv', 'x,y\n1,0\n2,1\n3,1\n');
    const bin = await loadData(request(`csv:${file}`, { inputShape: [1], outputUnits: 1, labelMode: 'binary' }));
    assert.deepEqual(Array.from(bin.train.y), [0, 1, 1]);
    assert.deepEqual(bin.train.yShape, [3, 1]);
    const reg = write('reg.csv', 'x,price\n1,2.5\n2,-3.25\n');
    const r = await loadData(request(`csv:${reg}`, { inputShape: [1], outputUnits: 1, labelMode: 'regression' }));
    assert.deepEqual(Array.from(r.train.y), [2.5, -3.25]);
  });

  it('gives an int32 input whole numbers, and rejects fractions and ids past the vocabulary', async () => {
    const file = write('ids.csv', 't1,t2,label\n3,4,0\n5,6,1\n');
    const d = await loadData(request(`csv:${file}`, { inputShape: [2], inputDtype: 'int32', outputUnits: 2 }));
    assert.ok(d.train.x instanceof Int32Array);
    assert.deepEqual(Array.from(d.train.x), [3, 4, 5, 6]);
    const frac = write('frac.csv', 't1,t2,label\n3,4,0\n5,6.5,1\n');
    await assertDataError(() => loadData(request(`csv:${frac}`, { inputShape: [2], inputDtype: 'int32', outputUnits: 2 })), {
      message: /column `t2` in row 2 is 6.5, not a whole number/,
      file: frac,
      record: 'row 2',
    });
    await assertDataError(() => loadData(request(`csv:${file}`, { inputShape: [2], inputDtype: 'int32', outputUnits: 2, maxTokenId: 4 })), {
      message: /token id 5 in row 2 is not below the embedding's input_dim 5/,
      file,
      record: 'row 2',
      help: /at least 6/,
    });
  });

  it('rejects a row with the wrong number of columns, naming the row and its line', async () => {
    const file = write('cols.csv', 'a,b,label\n1,2,0\n\n3,4\n');
    const e = await assertDataError(() => loadData(request(`csv:${file}`, { inputShape: [2] })), {
      message: /row 2 has 2 columns; the header has 3/,
      file,
      record: 'row 2',
    });
    assert.equal(e.span?.line, 4);
  });

  it('rejects a non-numeric or empty cell', async () => {
    const file = write('text.csv', 'a,b,label\n1,2,0\n1,two,1\n');
    await assertDataError(() => loadData(request(`csv:${file}`, { inputShape: [2] })), {
      message: /row 2, column `b`: `two` is not a number/,
      file,
      record: 'row 2',
      help: /numbers/,
    });
    const empty = write('emptycell.csv', 'a,b,label\n1,,0\n');
    await assertDataError(() => loadData(request(`csv:${empty}`, { inputShape: [2] })), {
      message: /row 1, column `b`: the cell is empty/,
      file: empty,
      record: 'row 1',
    });
  });

  it('rejects a missing label column with a suggestion from the header', async () => {
    await assertDataError(() => loadData(request(`csv:${table}`, { inputShape: [3], labelColumn: 'lable' })), {
      message: /no column named `lable`/,
      file: table,
      help: /did you mean `label`\?.*`a`, `b`, `c`, `label`/,
    });
  });

  it('rejects a label outside the model classes, naming the row', async () => {
    const many = write('many.csv', 'x,label\n' + Array.from({ length: 12 }, (_, i) => `${i},${i === 11 ? 7 : i % 5}`).join('\n'));
    await assertDataError(() => loadData(request(`csv:${many}`, { inputShape: [1], outputUnits: 5 })), {
      message: /^label 7 in row 12 is outside the model's 5 classes \(0–4\)$/,
      file: many,
      record: 'row 12',
      help: /dense 8 softmax/,
    });
  });

  it('rejects more word classes than outputs, and words for a regression loss', async () => {
    const file = write('words.csv', 'x,animal\n1,cat\n2,dog\n3,eel\n');
    await assertDataError(() => loadData(request(`csv:${file}`, { inputShape: [1], outputUnits: 2, labelMode: 'onehot' })), {
      message: /3 classes \(cat, dog, eel\), but the model's output has 2 units/,
      file,
      help: /dense 3 softmax/,
    });
    await assertDataError(() => loadData(request(`csv:${file}`, { inputShape: [1], outputUnits: 1, labelMode: 'regression' })), {
      message: /label `cat` in row 1 is not a number/,
      file,
      record: 'row 1',
    });
  });

  it('rejects a blank or NaN label among numeric labels, naming the row, instead of making classes of them', async () => {
    const blank = write('blank-label.csv', 'x,label\n1,0\n2,1\n3,\n4,0\n');
    await assertDataError(() => loadData(request(`csv:${blank}`, { inputShape: [1], outputUnits: 2 })), {
      message: /the label in row 3 is empty, but the other labels are numbers/,
      file: blank,
      record: 'row 3',
    });
    const nan = write('nan-label.csv', 'x,label\n1,0\n2,NaN\n3,1\n');
    await assertDataError(() => loadData(request(`csv:${nan}`, { inputShape: [1], outputUnits: 2 })), {
      message: /the label in row 2 is `NaN`, but the other labels are numbers/,
      record: 'row 2',
    });
  });

  it('maps word labels to a saved model\'s classes by name and rejects an unknown one', async () => {
    const file = write('known.csv', 'x,animal\n1,dog\n2,dog\n3,bird\n');
    const d = await loadData(request(`csv:${file}`, { inputShape: [1], outputUnits: 3, labelMode: 'sparse', classNames: ['bird', 'cat', 'dog'] }));
    assert.deepEqual(d.classNames, ['bird', 'cat', 'dog']);
    assert.deepEqual(Array.from(d.train.y).concat(Array.from(d.test?.y ?? [])).sort(), [0, 2, 2]);
    await assertDataError(() => loadData(request(`csv:${file}`, { inputShape: [1], outputUnits: 3, classNames: ['cat', 'dog', 'eel'] })), {
      message: /the label `bird` in row 3 is not one of the model's classes/,
      record: 'row 3',
    });
  });

  it('rejects an empty file, a header alone, and broken quoting', async () => {
    const empty = write('empty.csv', '');
    await assertDataError(() => loadData(request(`csv:${empty}`)), { message: /empty/, file: empty });
    const header = write('header.csv', 'a,b,label\n');
    await assertDataError(() => loadData(request(`csv:${header}`)), { message: /no data rows/, file: header });
    const quote = write('quote.csv', 'a,b,label\n1,2,0\n"3,4,1\n');
    await assertDataError(() => loadData(request(`csv:${quote}`)), { message: /not valid CSV/, file: quote });
  });

  it('explains a feature count that does not fit the input', async () => {
    await assertDataError(() => loadData(request(`csv:${table}`, { inputShape: [3, 1] })), {
      message: /the data has 3 features per sample; the spec's input is 3x1$/,
      file: table,
      help: /change the input to `input 3`, followed by `reshape 3x1`/,
    });
    await assertDataError(() => loadData(request(`csv:${table}`, { inputShape: [4] })), {
      message: /the data has 3 features per sample; the spec's input is 4$/,
      file: table,
      help: /`input 3`/,
    });
  });

  it('reads a --sample-weight column: not a feature, each weight staying with its row through the hold-out', async () => {
    // Row i has weight 10 * i, in a column between the features and the label.
    const weighted = write('weighted.csv', 'a,b,c,w,label\n' + rows.map((r, k) => [...r.slice(0, 3), 10 * (k + 1), r[3]].join(',')).join('\n') + '\n');
    const d = await loadData(request(`csv:${weighted}`, { inputShape: [3], outputUnits: 3, weightColumn: 'w' }));
    const trainRows = [3, 1, 2, 6, 4, 5, 9, 7, 8, 12, 10, 11];
    assert.deepEqual(d.train.x, features(trainRows));
    assert.deepEqual(Array.from(d.train.weights!), trainRows.map((i) => 10 * i));
    assert.deepEqual(Array.from(d.test!.weights!), [150, 130, 140]);
    assert.equal(d.labelColumn, 'label');
    // The weights as the last column: the label is then the last other column.
    const last = write('weight-last.csv', 'a,b,c,label,w\n1,2,3,0,0.5\n4,5,6,1,2\n');
    const l = await loadData(request(`csv:${last}`, { inputShape: [3], outputUnits: 2, weightColumn: 'w' }));
    assert.deepEqual(Array.from(l.train.y), [0, 1]);
    assert.deepEqual(Array.from(l.train.weights!), [0.5, 2]);
  });

  it('refuses a missing weight column, a bad weight, and weights for a source without columns', async () => {
    await assertDataError(() => loadData(request(`csv:${table}`, { inputShape: [2], weightColumn: 'wieght' })), {
      message: /no column named `wieght` for the sample weights/, file: table,
    });
    const bad = write('bad-weight.csv', 'a,w,label\n1,1,0\n2,-1,1\n');
    await assertDataError(() => loadData(request(`csv:${bad}`, { inputShape: [1], weightColumn: 'w' })), {
      message: /row 2, column `w`: the sample weight `-1` is not a number ≥ 0/, record: 'row 2',
    });
    await assertDataError(() => loadData(request('mnist', { inputShape: [784], outputUnits: 10, weightColumn: 'w' })), {
      message: /--sample-weight w names a column of a CSV file/,
    });
  });
});

