/**
 * Fuzzing every kind of file a user hands mlc: mutated specs, IR files, data
 * files, prediction inputs and saves. Each run ends in a result or an error
 * that mlc means (a diagnostic, a DataError, a SavedModelError): never an
 * internal error, never another exception, never a hang. Runs are seeded and
 * few, and each property also stops after a time limit, so `npm test` stays
 * bounded.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { compileIRJson, compileSource } from '../../src/ir/pipeline.js';
import { DataError, loadData } from '../../src/runtime/data/index.js';
import { readPredictInputs } from '../../src/runtime/predict-inputs.js';
import { loadModelDir, saveModelDir, SavedModelError } from '../../src/runtime/saved-model.js';
import { buildModel, compileModel } from '../../src/runtime/model.js';
import { testTf } from '../runtime/helpers.js';
import { checkThenTrain } from './train-step.js';

const scratch = mkdtempSync(join(tmpdir(), 'mlc-fuzz-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Each property stops after this long, whatever numRuns says. */
const TIME_LIMIT_MS = 15_000;
const settings = (seed: number, numRuns: number) => ({ seed, numRuns, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false });

/** Text with a few characters replaced, inserted or deleted. */
function mutated(texts: readonly string[], alphabet: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...texts), fc.array(fc.tuple(fc.nat(), fc.constantFrom('replace', 'insert', 'delete'), fc.oneof(fc.string({ maxLength: 2 }), fc.constantFrom(...alphabet))), { minLength: 1, maxLength: 4 }))
    .map(([text, edits]) => {
      let s = text;
      for (const [pos, op, piece] of edits) {
        const i = pos % (s.length + 1);
        s = op === 'insert' ? s.slice(0, i) + piece + s.slice(i) : op === 'delete' ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + piece + s.slice(i + 1);
      }
      return s;
    });
}

const SPECS = readdirSync('specs').filter((f) => f.endsWith('.model')).map((f) => readFileSync(join('specs', f), 'utf8'));
const SPEC_PIECES = ['0', '1', '-1', '1e308', '9007199254740993', '?', 'x', ',', '=', '\n', 'int32', 'flatten\n', 'dropout 0.5\n', 'name=_a', 'name=input_layer', 'axis=1', '\x1b[2J'];

async function assertTrainsIfChecked(text: string, ir = false): Promise<void> {
  // Up to 100k parameters: LeNet-5's size; the bigger bundled specs take seconds a step on the cpu backend.
  const r = await checkThenTrain(text, { ir, maxParams: 100_000 });
  if (r.checked) assert.equal(r.error, undefined, `check accepted this ${ir ? 'IR' : 'spec'}, but training failed:\n${text}\n${r.error}`);
}

describe('fuzzing the front end', () => {
  it('mutated specs give diagnostics, never an internal error, and train when check accepts them', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(mutated(SPECS, SPEC_PIECES), async (text) => {
        const r = compileSource(text, 'm.model');
        for (const d of r.diagnostics) assert.notEqual(d.code, 'E-INTERNAL', `${JSON.stringify(text)}: ${d.message}`);
        await assertTrainsIfChecked(text);
      }),
      settings(31, 150),
    );
  });

  it('IR files with values replaced at random give diagnostics, never an internal error, and train when check accepts them', { timeout: 120_000 }, async () => {
    const irs = SPECS.map((s) => compileSource(s, 'm.model').ir).filter((ir) => ir !== undefined).map((ir) => JSON.parse(JSON.stringify(ir, (k, v) => (k === 'span' || k === 'argSpans' ? undefined : v))));
    const junk = fc.oneof(fc.constantFrom(null, 0, -1, 1, 1e308, 2 ** 53 + 2, '', 'input', 'dense', '__proto__', [], {}, true, [1, 2], 'x\x1b'), fc.integer({ min: -3, max: 70 }));
    const irMutation = fc.tuple(fc.constantFrom(...irs), fc.array(fc.tuple(fc.nat(), junk), { minLength: 1, maxLength: 3 })).map(([ir, edits]) => {
      const copy = JSON.parse(JSON.stringify(ir)) as unknown;
      for (const [pick, value] of edits) {
        // Every place in the document, in a fixed order; the pick-th one is replaced.
        const places: [Record<string, unknown> | unknown[], string | number][] = [];
        const walk = (v: unknown) => {
          if (Array.isArray(v)) v.forEach((x, i) => (places.push([v, i]), walk(x)));
          else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (places.push([v as Record<string, unknown>, k]), walk(x));
        };
        walk(copy);
        const [holder, key] = places[pick % places.length];
        (holder as Record<string | number, unknown>)[key] = value;
      }
      return JSON.stringify(copy);
    });
    await fc.assert(
      fc.asyncProperty(irMutation, async (text) => {
        const r = compileIRJson(text, 'm.json');
        for (const d of r.diagnostics) assert.notEqual(d.code, 'E-INTERNAL', `${text}: ${d.message}`);
        await assertTrainsIfChecked(text, true);
      }),
      settings(47, 200),
    );
  });
});

/** Runs `load` and accepts a result or an error of the type mlc reports; anything else fails with the input. */
async function onlyExpectedErrors(load: () => Promise<unknown>, expected: new (...a: never[]) => Error, what: string): Promise<void> {
  try {
    await load();
  } catch (e) {
    assert.ok(e instanceof expected, `${what}\nthrew ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    assert.doesNotMatch((e as Error).message, /internal error/);
  }
}

describe('fuzzing the data loaders and predict inputs', () => {
  const CSV = 'a,b,label\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n0.5,1e3,1\n';
  const JSON_SEQ = JSON.stringify([{ tokens: [1, 2, 3], label: 0 }, { tokens: [4, 5], label: 1 }, { tokens: [2], label: 1 }]);

  it('mutated CSV and JSON data files load or give a DataError', { timeout: 120_000 }, async () => {
    const pieces = ['', ',', '\n', '"', 'NaN', '-1', '1e39', '9', 'x', '{', ']', '\uFEFF', '\0'];
    let k = 0;
    await fc.assert(
      fc.asyncProperty(mutated([CSV], pieces), mutated([JSON_SEQ], pieces), fc.constantFrom('sparse', 'onehot', 'binary', 'regression'), async (csv, json, labelMode) => {
        const csvFile = join(scratch, `d${k}.csv`);
        const jsonFile = join(scratch, `d${k++}.json`);
        writeFileSync(csvFile, csv);
        writeFileSync(jsonFile, json);
        const req = { inputShape: [2], inputDtype: 'float32' as const, outputUnits: 2, labelMode: labelMode as 'sparse' };
        await onlyExpectedErrors(() => loadData({ ...req, spec: `csv:${csvFile}` }), DataError, csv);
        await onlyExpectedErrors(() => loadData({ ...req, spec: `json:${jsonFile}`, inputShape: [3], inputDtype: 'int32', maxTokenId: 9 }), DataError, json);
        await onlyExpectedErrors(() => readPredictInputs([csvFile], [2], 'float32'), DataError, csv);
        await onlyExpectedErrors(() => readPredictInputs([jsonFile], [3], 'int32', { maxTokenId: 9 }), DataError, json);
      }),
      settings(53, 150),
    );
  });

  it('IDX files with random bytes changed load or give a DataError', { timeout: 120_000 }, async () => {
    const { gzipSync } = await import('node:zlib');
    const idx = (magic: number, dims: number[], data: number[]) => {
      const header = Buffer.alloc(4 + 4 * dims.length);
      header.writeUInt32BE(magic, 0);
      dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
      return Buffer.concat([header, Buffer.from(data)]);
    };
    const images = idx(0x803, [4, 2, 2], Array.from({ length: 16 }, (_, i) => i * 10));
    const labels = idx(0x801, [4], [0, 1, 0, 1]);
    let k = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.boolean(), fc.boolean(), async (edits, gzip, whichFile) => {
        const dir = join(scratch, `idx${k++}`);
        mkdirSync(dir);
        const changed = Buffer.from(whichFile ? images : labels);
        for (const [pos, byte] of edits) changed[pos % changed.length] = byte;
        const [img, lab] = whichFile ? [changed, labels] : [images, changed];
        const suffix = gzip ? '.gz' : '';
        writeFileSync(join(dir, `train-images-idx3-ubyte${suffix}`), gzip ? gzipSync(img) : img);
        writeFileSync(join(dir, `train-labels-idx1-ubyte${suffix}`), gzip ? gzipSync(lab) : lab);
        await onlyExpectedErrors(() => loadData({ spec: `idx:${dir}`, inputShape: [4], inputDtype: 'float32', outputUnits: 2, labelMode: 'sparse' }), DataError, `${edits}`);
      }),
      settings(59, 150),
    );
  });
});

describe('fuzzing saves', () => {
  it('a save with a file changed at random loads or gives a SavedModelError', { timeout: 180_000 }, async () => {
    const tf = await testTf();
    const SPEC = 'input 4\ndense 3 relu\ndense 2 softmax\ncompile loss=categorical_crossentropy optimizer=adam\n';
    const ir = compileSource(SPEC, 's.model').ir!;
    const model = buildModel(tf, ir, { seed: 1 });
    compileModel(tf, model, ir);
    const good = join(scratch, 'good-save');
    await saveModelDir(tf, model, good, ir, { epoch: 1, epochs: 2, history: [], batchSize: 4, optimizerState: false, classNames: ['a', 'b'] }, SPEC);
    model.dispose();
    const files = readdirSync(good).sort();
    let k = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...files), mutated(['{}'], ['null', '0', '-1', '""', '[]', '{"a":1}', '\x1b']), fc.nat(), fc.boolean(), async (file, junk, cut, truncate) => {
        const dir = join(scratch, `save${k++}`);
        cpSync(good, dir, { recursive: true });
        const path = join(dir, file);
        const text = readFileSync(path, file === 'weights.bin' ? undefined : 'utf8');
        if (truncate) writeFileSync(path, text.slice(0, cut % (text.length + 1)));
        else if (typeof text === 'string') {
          // A JSON value somewhere in the file replaced by junk: somewhere between two tokens.
          const at = cut % (text.length + 1);
          writeFileSync(path, text.slice(0, at) + junk + text.slice(at));
        } else writeFileSync(path, Buffer.concat([text, Buffer.from(junk)]));
        await onlyExpectedErrors(async () => (await loadModelDir(tf, dir)).model.dispose(), SavedModelError, `${file}`);
      }),
      settings(61, 80),
    );
  });
});
