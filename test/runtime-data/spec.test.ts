import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DataError, defaultDataSpec, loadData, parseDataSpec } from '../../src/runtime/data/index.js';
import { assertDataError, request, tempDir } from './helpers.js';

describe('data specs', () => {
  it('parses each kind, and takes a bare .csv or .json path by its extension', () => {
    assert.deepEqual(parseDataSpec('mnist'), { kind: 'mnist', path: '' });
    assert.deepEqual(parseDataSpec('idx:data/mnist'), { kind: 'idx', path: 'data/mnist' });
    assert.deepEqual(parseDataSpec('csv:C:/x.csv'), { kind: 'csv', path: 'C:/x.csv' });
    assert.deepEqual(parseDataSpec('images:cats'), { kind: 'images', path: 'cats' });
    assert.deepEqual(parseDataSpec('json:imdb.json'), { kind: 'json', path: 'imdb.json' });
    assert.deepEqual(parseDataSpec('iris.csv'), { kind: 'csv', path: 'iris.csv' });
  });

  it('suggests the kind that was meant', async () => {
    await assertDataError(async () => parseDataSpec('cvs:iris.csv'), {
      message: /unknown data source `cvs:iris.csv`/,
      help: /did you mean `csv:iris.csv`\?/,
    });
    await assertDataError(async () => parseDataSpec('mnsit'), { message: /unknown data source/, help: /did you mean `mnist`\?/ });
    await assertDataError(async () => parseDataSpec('csv:'), { message: /names no file/ });
  });

  it('defaults to mnist only for MNIST-sized float inputs', () => {
    assert.equal(defaultDataSpec([784]), 'mnist');
    assert.equal(defaultDataSpec([28, 28, 1]), 'mnist');
    assert.equal(defaultDataSpec([32, 32, 3]), undefined);
    assert.equal(defaultDataSpec([784], 'int32'), undefined);
  });

  it('rejects a limit that is not a positive whole number', async () => {
    await assertDataError(() => loadData(request('mnist', { limit: 0 })), { message: /limit must be a positive whole number/ });
  });

  it('turns into a Diagnostic-shaped object', () => {
    const e = new DataError('row 2 has 2 columns; the header has 3', {
      file: 'a.csv',
      record: 'row 2',
      help: 'fix it',
      span: { line: 3, column: 1, endLine: 3, endColumn: 2 },
    });
    assert.deepEqual(e.toDiagnostic(), {
      severity: 'error',
      code: 'E-DATA',
      message: 'row 2 has 2 columns; the header has 3',
      file: 'a.csv',
      help: 'fix it',
      span: { line: 3, column: 1, endLine: 3, endColumn: 2 },
    });
  });
});

describe('shape and label checks', () => {
  const dir = tempDir();
  // 784 feature columns and a label, two rows.
  const wide = join(dir, 'wide.csv');
  writeFileSync(
    wide,
    [[...Array.from({ length: 784 }, (_, i) => `p${i}`), 'label'], ...[0, 1].map((l) => [...new Array(784).fill(0.5), l])]
      .map((r) => r.join(','))
      .join('\n'),
  );

  it('does not reshape table rows to an image input, and says how to', async () => {
    await assertDataError(() => loadData(request(`csv:${wide}`, { inputShape: [28, 28, 1] })), {
      message: /^the data has 784 features per sample; the spec's input is 28x28x1$/,
      file: wide,
      help: /`input 784`.*`reshape 28x28x1`/,
    });
  });

  it('one-hot encodes class labels for mse on a several-unit output (the Keras habit)', async () => {
    const d = await loadData(request(`csv:${wide}`, { outputUnits: 3, labelMode: 'regression' }));
    assert.deepEqual(d.train.yShape, [2, 3]);
    assert.deepEqual(Array.from(d.train.y), [1, 0, 0, 0, 1, 0]);
  });

  it('rejects fractional and negative class labels', async () => {
    const file = join(dir, 'frac.csv');
    writeFileSync(file, 'x,label\n1,0\n2,1.5\n');
    await assertDataError(() => loadData(request(`csv:${file}`, { inputShape: [1], outputUnits: 3 })), {
      message: /^label 1.5 in row 2 is not a class index; sparse_categorical_crossentropy needs whole numbers 0–2$/,
      file,
      record: 'row 2',
      help: /loss=mse/,
    });
    writeFileSync(file, 'x,label\n1,-1\n');
    await assertDataError(() => loadData(request(`csv:${file}`, { inputShape: [1], outputUnits: 3, labelMode: 'onehot' })), {
      message: /label -1 in row 1 is outside the model's 3 classes/,
      file,
      record: 'row 1',
      help: /start at 0/,
    });
  });
});

describe('loader modules', () => {
  it('import only Node built-ins, sharp, mnist, csv-parse and each other, so generated code can ship them', () => {
    const folder = join(import.meta.dirname, '../../src/runtime/data');
    for (const name of readdirSync(folder).filter((n) => n.endsWith('.ts'))) {
      const text = readFileSync(join(folder, name), 'utf8');
      for (const [, from] of text.matchAll(/from '([^']+)'/g)) {
        const ok = /^node:/.test(from) || ['sharp', 'mnist', 'csv-parse/sync'].includes(from) || /^\.\/[\w-]+\.js$/.test(from);
        assert.ok(ok, `${name} imports ${from}`);
      }
    }
  });
});
