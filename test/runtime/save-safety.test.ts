/**
 * Users' files are never replaced or lost by a save: what `train -o` refuses,
 * how an interrupted save is recovered, and how a damaged save is reported.
 */
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compileSource } from '../../src/ir/pipeline.js';
import { buildModel, compileModel } from '../../src/runtime/model.js';
import { checkSaveTarget, loadModelDir, saveModelDir, SavedModelError, type Checkpoint } from '../../src/runtime/saved-model.js';
import { testTf } from './helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'mlc-safety-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A process id that no process has (above Linux's largest pid_max). */
const DEAD_PID = 99_999_999;
const SPEC = 'input 4\ndense 3 softmax\ncompile loss=categorical_crossentropy optimizer=adam\n';
const checkpoint: Checkpoint = { epoch: 1, epochs: 1, history: [], batchSize: 8, optimizerState: true, classNames: ['a', 'b', 'c'] };

async function saveTo(dir: string): Promise<void> {
  const tf = await testTf();
  const ir = compileSource(SPEC, 'spec.model').ir!;
  const model = buildModel(tf, ir, { seed: 1 });
  compileModel(tf, model, ir);
  await saveModelDir(tf, model, dir, ir, { ...checkpoint, optimizerState: false }, SPEC);
  model.dispose();
}

function refusal(run: () => void): SavedModelError {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof SavedModelError, String(e));
    return e;
  }
  assert.fail('expected the output folder to be refused');
}

describe('train -o refuses what is not an mlc save', () => {
  let save: string;
  before(async () => {
    save = join(scratch, 'save');
    await saveTo(save);
  });

  it('refuses a folder of the user, saying what is there and suggesting a new name, even with --force', () => {
    const thesis = join(scratch, 'thesis');
    mkdirSync(join(thesis, 'chapters'), { recursive: true });
    writeFileSync(join(thesis, 'thesis.txt'), 'years of work');
    for (const force of [false, true]) {
      const e = refusal(() => checkSaveTarget(thesis, { force }));
      assert.match(e.message, /is a folder with 2 entries \(chapters, thesis\.txt\), not a model saved by mlc/);
      assert.match(e.help ?? '', /-o .*thesis-1/);
    }
    assert.equal(readFileSync(join(thesis, 'thesis.txt'), 'utf8'), 'years of work');
  });

  it('refuses a file and the working folder', () => {
    const file = join(scratch, 'file.txt');
    writeFileSync(file, 'notes');
    assert.match(refusal(() => checkSaveTarget(file, { force: true })).message, /is a file of 5 bytes/);
    assert.match(refusal(() => checkSaveTarget('.', { force: true })).message, /-o \.: \. is a folder with/);
  });

  it('replaces an mlc save only with --force (or when it is the one resumed)', () => {
    const e = refusal(() => checkSaveTarget(save));
    assert.match(e.message, /already holds a saved model/);
    assert.match(e.help ?? '', /--force/);
    checkSaveTarget(save, { force: true });
    checkSaveTarget(save, { resuming: save });
  });

  it('refuses an output under a file before any training', () => {
    const file = join(scratch, 'plain.txt');
    writeFileSync(file, 'x');
    assert.match(refusal(() => checkSaveTarget(join(file, 'run'))).message, /is a file, so no folder can be made under it/);
  });

  it('a save never replaces a folder mlc did not write, even if one appears during training', async () => {
    const dir = join(scratch, 'appeared');
    mkdirSync(dir);
    writeFileSync(join(dir, 'data.csv'), '1,2');
    await assert.rejects(saveTo(dir), SavedModelError);
    assert.deepEqual(readdirSync(dir), ['data.csv']);
  });
});

describe('an interrupted save is recovered', () => {
  it('puts back the previous save left between the two renames, and removes killed saves\' temporary folders', async () => {
    const dir = join(scratch, 'killed');
    await saveTo(dir);
    // The state a kill between the renames leaves: the save under its old name, the new one still temporary.
    renameSync(dir, join(scratch, `.killed.old-${DEAD_PID}-abc123`));
    mkdirSync(join(scratch, `.killed.tmp-${DEAD_PID}-abc123`));
    writeFileSync(join(scratch, `.killed.tmp-${DEAD_PID}-abc123`, 'model.json'), '{"half');
    const tf = await testTf();
    const loaded = await loadModelDir(tf, dir);
    loaded.model.dispose();
    assert.deepEqual(readdirSync(scratch).filter((n) => n.startsWith('.killed')), []);
  });

  it('leaves a live writer\'s temporary folder alone', async () => {
    const dir = join(scratch, 'live');
    await saveTo(dir);
    const live = join(scratch, `.live.tmp-${process.pid}-abc123`);
    mkdirSync(live);
    checkSaveTarget(dir, { force: true });
    assert.ok(existsSync(live));
  });
});

describe('a damaged or tampered save gets a clear error', () => {
  let good: string;
  before(async () => {
    good = join(scratch, 'good');
    await saveTo(good);
  });

  /** A copy of the good save with one change. */
  function tampered(name: string, change: (dir: string) => void): string {
    const dir = join(scratch, name);
    cpSync(good, dir, { recursive: true });
    change(dir);
    return dir;
  }

  const editJson = (file: string, edit: (v: Record<string, unknown>) => unknown) =>
    writeFileSync(file, JSON.stringify(edit(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)));

  const cases: [string, (dir: string) => void, RegExp][] = [
    ['batch0', (d) => editJson(join(d, 'checkpoint.json'), (c) => ({ ...c, batchSize: 0 })), /checkpoint\.json has a bad `batchSize`: expected a whole number ≥ 1, got 0/],
    ['nullcheckpoint', (d) => writeFileSync(join(d, 'checkpoint.json'), 'null'), /checkpoint\.json does not hold a JSON object/],
    ['nullir', (d) => writeFileSync(join(d, 'ir.json'), 'null'), /ir\.json is not a valid model/],
    ['nomanifest', (d) => editJson(join(d, 'model.json'), (m) => ({ ...m, weightsManifest: undefined })), /model\.json has no weights manifest/],
    ['truncated', (d) => writeFileSync(join(d, 'weights.bin'), readFileSync(join(d, 'weights.bin')).subarray(0, 20)), /weights\.bin holds 20 bytes, but model\.json's manifest lists 60/],
    ['devzero', (d) => { rmSync(join(d, 'weights.bin')); symlinkSync('/dev/zero', join(d, 'weights.bin')); }, /weights\.bin cannot be read: it is a device, not a file/],
    ['linear', (d) => writeFileSync(join(d, 'model.json'), readFileSync(join(d, 'model.json'), 'utf8').replace('"softmax"', '"linear"')), /model\.json describes a different model than ir\.json/],
  ];
  for (const [name, change, message] of cases) {
    it(`reports ${name}`, { timeout: 20_000 }, async () => {
      const tf = await testTf();
      const dir = tampered(name, change);
      await assert.rejects(loadModelDir(tf, dir), (e: unknown) => {
        assert.ok(e instanceof SavedModelError, String(e));
        assert.match(e.message, message);
        assert.ok(e.help);
        return true;
      });
    });
  }
});

describe('the read-only case', () => {
  it('refuses an output folder in a folder it cannot write', (t) => {
    if (process.getuid?.() === 0) return t.skip('root writes everywhere; run as a user to check this');
    const ro = join(scratch, 'readonly');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    assert.match(refusal(() => checkSaveTarget(join(ro, 'run'))).message, /is not writable/);
    chmodSync(ro, 0o755);
  });
});

