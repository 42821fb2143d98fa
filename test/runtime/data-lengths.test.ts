/**
 * A `?` input length is set by the data: data too short for a layer (a crop,
 * a `valid` kernel) is a data error naming the layer and the shortest length
 * the model takes, by Keras's own length formulas, never a failure inside
 * training (check => run); so are token ids beyond the embedding they reach.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compileSource } from '../../src/ir/pipeline.js';
import { checkDataLengths } from '../../src/runtime/data-lengths.js';
import { DataError } from '../../src/runtime/data/errors.js';
import { loadModelData, maxTokenIdOf, outputShapesOf } from '../../src/runtime/session.js';
import type { MultiSplit } from '../../src/runtime/split-tensors.js';

const HEAD = 'input ?x3\n';
const TAIL = 'globalmaxpool\ndense 2 softmax\ncompile loss=categorical_crossentropy optimizer=adam\n';

function compiled(layers: string) {
  const r = compileSource(`${HEAD}${layers}\n${TAIL}`, 'seq.model');
  assert.ok(r.ir && !r.diagnostics.some((d) => d.severity === 'error'), r.diagnostics.map((d) => d.message).join('; '));
  return r.ir!;
}

/** Samples of `length` steps and 3 features (the values do not matter to the check). */
function split(length: number): MultiSplit {
  return { xs: [{ values: new Float32Array(2 * length * 3), shape: [2, length, 3], dtype: 'float32' }], ys: [], count: 2 };
}

function refusal(layers: string, length: number): DataError {
  try {
    checkDataLengths(compiled(layers), split(length), 'seq.json');
  } catch (e) {
    assert.ok(e instanceof DataError, String(e));
    return e;
  }
  assert.fail(`length ${length} was accepted for ${layers}`);
}

test('data too short for a crop or a valid kernel is a data error naming the layer and the shortest length that fits', () => {
  // Keras: Cropping1D leaves n − before − after steps, which must be at least 1: n ≥ 3 + 3 + 1.
  const crop = refusal('cropping1d 3\nconv1d 2 1', 6);
  assert.equal(crop.file, 'seq.json');
  assert.match(crop.message, /the input `input_layer` \(\?x3\) gets samples of 6x3, and at that size `cropping1d` fails: cropping1d \[3, 3\] removes all 6 steps/);
  assert.match(crop.help ?? '', /at least 7 where the input has `\?`/);
  // Keras: a valid Conv1D leaves n − (k − 1)·d steps: kernel 3, dilation 2 needs n ≥ 5.
  const conv = refusal('conv1d 4 3 dilation_rate=2', 4);
  assert.match(conv.message, /`conv1d` fails: conv1d kernel 3 with dilation 2 spans 5/);
  assert.match(conv.help ?? '', /at least 5 where/);
  // The layer named is the first that fails, here after a crop that itself fits.
  const later = refusal('cropping1d [1, 0]\nconv1d 4 4', 4);
  assert.match(later.message, /`conv1d` fails/);
  assert.match(later.help ?? '', /at least 5 where/);
});

test('data long enough, or a model without `?` dimensions, passes', () => {
  checkDataLengths(compiled('cropping1d 3\nconv1d 2 1'), split(7), 'seq.json');
  checkDataLengths(compiled('conv1d 4 3 dilation_rate=2'), split(5), 'seq.json');
  const fixed = compileSource('input 4x3\nconv1d 2 2\nflatten\ndense 2 softmax\ncompile loss=categorical_crossentropy optimizer=adam\n', 'f.model').ir!;
  checkDataLengths(fixed, split(4), 'f.json');
});

test('loading the data of a model checks it: token sequences too short for the layers after the embedding', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlc-data-lengths-'));
  try {
    const file = join(dir, 'tokens.json');
    writeFileSync(file, JSON.stringify({ x: [[1, 2, 3, 4], [2, 3], [4, 5, 6, 1], [1, 1, 1, 1]], y: [1, 0, 1, 0] }));
    const spec = 'input ? int32\nembedding 10 3\ncropping1d 2\nconv1d 2 1\nglobalmaxpool\ndense 2 softmax\ncompile loss=sparse_categorical_crossentropy optimizer=adam\n';
    const r = compileSource(spec, 'tokens.model');
    await assert.rejects(loadModelData(r.ir!, outputShapesOf(r.ir!, r.facts!), `json:${file}`), (e: unknown) => {
      assert.ok(e instanceof DataError, String(e));
      assert.equal(e.file, file);
      assert.match(e.message, /gets samples of 4, and at that size `cropping1d` fails: cropping1d \[2, 2\] removes all 4 steps/);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('token ids are checked against an embedding the input reaches through flatten or reshape, not only one it feeds directly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlc-token-ids-'));
  try {
    const file = join(dir, 'tokens.json');
    // Keras's Embedding(input_dim=5) takes ids 0..4: id 5 would fail inside training (GatherV2 out of range).
    writeFileSync(file, JSON.stringify({ x: [[1, 2], [4, 5]], y: [1, 0] }));
    const spec = 'input 2 int32\nflatten\nreshape 2x1\nembedding 5 3\nflatten\ndense 2 softmax\ncompile loss=sparse_categorical_crossentropy optimizer=adam\n';
    const r = compileSource(spec, 'tokens.model');
    assert.equal(maxTokenIdOf(r.ir!), 4);
    await assert.rejects(loadModelData(r.ir!, outputShapesOf(r.ir!, r.facts!), `json:${file}`), (e: unknown) => {
      assert.ok(e instanceof DataError, String(e));
      assert.match(e.message, /token id 5 in .* is not below the embedding's input_dim 5/);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a float input that feeds an embedding is checked as token ids once cast (Keras and tfjs drop the fraction)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlc-float-ids-'));
  try {
    const spec = 'input 4\nembedding 3 2\nflatten\ndense 2 softmax\ncompile loss=sparse_categorical_crossentropy optimizer=adam\n';
    const r = compileSource(spec, 'ids.model');
    const load = (rows: string) => {
      const file = join(dir, 'ids.csv');
      writeFileSync(file, `a,b,c,d,label\n${rows}`);
      return loadModelData(r.ir!, outputShapesOf(r.ir!, r.facts!), `csv:${file}`);
    };
    // 2.9 is cast to 2, the largest id Embedding(input_dim=3) has.
    await load('1,2,0,2.9,0\n0,1,2,1,1\n');
    await assert.rejects(load('1,2,0,2.9,0\n0,1,3,1,1\n'), (e: unknown) => {
      assert.ok(e instanceof DataError, String(e));
      assert.match(e.message, /the value 3, but the input feeds an embedding that looks up token ids 0 to 2/);
      assert.match(e.help ?? '', /`input 4 int32`/);
      return true;
    });
    await assert.rejects(load('1,2,0,-1,0\n0,1,2,1,1\n'), /the value -1, but the input feeds an embedding/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
