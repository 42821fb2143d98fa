/** `mlc emit` on the command line: where the output goes, and no output at all for a spec that cannot be emitted. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { defaultSaveDir } from '../../src/codegen/train-section.js';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeScratch, removeScratch, runMlc } from './helpers.js';

describe('mlc emit (command line)', () => {
  let scratch: string;
  const at = (name: string) => join(scratch, name);

  before(() => {
    scratch = makeScratch();
  });

  after(() => removeScratch(scratch));

  it('writes the module and its data helpers with -o', () => {
    const out = at('out/lenet.ts');
    const r = runMlc(['emit', 'specs/lenet5.model', '--target', 'ts', '-o', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    const code = readFileSync(out, 'utf8');
    assert.match(code, /^import \* as tf from "@tensorflow\/tfjs";$/m);
    assert.match(code, /export function buildModel\(\): tf\.LayersModel/);
    assert.match(code, /npx tsx lenet\.ts/);
    assert.ok(existsSync(at('out/mlc-data/index.ts')));
    // The default target is wasm: its kernels come along.
    assert.match(code, /^import \{ setWasmPaths \} from "@tensorflow\/tfjs-backend-wasm";$/m);
    assert.ok(existsSync(at('out/mlc-kernels/index.ts')));
    // Atomic writes leave no temporary files behind.
    assert.deepEqual(readdirSync(at('out')).filter((f) => f.endsWith('.tmp')), []);
  });

  it('prints the module to stdout without -o, and imports the package --tfjs names', () => {
    const r = runMlc(['emit', 'specs/mnist-mlp.model', '--tfjs', 'node']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^import \* as tf from "@tensorflow\/tfjs-node";$/m);
    assert.match(r.stderr, /note: the module imports \.\/mlc-data\/, \.\/mlc-fit\/; run with -o/);
    const gpu = runMlc(['emit', 'specs/mnist-mlp.model', '--tfjs', 'node-gpu']);
    assert.match(gpu.stdout, /^import \* as tf from "@tensorflow\/tfjs-node-gpu";$/m);
    const wasm = runMlc(['emit', 'specs/mnist-mlp.model']);
    assert.match(wasm.stderr, /note: the module imports \.\/mlc-data\/, \.\/mlc-kernels\/, \.\/mlc-fit\/; run with -o/);
  });

  it('writes no kernels for the web target, and names wasm as the default in --help', () => {
    const out = at('web/lenet.ts');
    const r = runMlc(['emit', 'specs/lenet5.model', '--tfjs', 'web', '-o', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(readFileSync(out, 'utf8'), /tfjs-backend-wasm|useWasmBackend/);
    assert.ok(existsSync(at('web/mlc-data/index.ts')));
    assert.ok(!existsSync(at('web/mlc-kernels')));
    const help = runMlc(['emit', '--help']);
    assert.match(help.stdout.replace(/\s+/g, ' '), /choices: "wasm", "web", "node", "node-gpu", default: "wasm"/);
  });

  it('bakes --data in as the default data source, and rejects a malformed one', () => {
    const r = runMlc(['emit', 'specs/random-classifier.model', '--data', 'csv:data/points.csv']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /DEFAULT_DATA: string \| undefined = "csv:data\/points\.csv"/);
    const bad = runMlc(['emit', 'specs/random-classifier.model', '--data', 'cvs:data/points.csv', '-o', at('bad-data.ts')]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /error: --data: unknown data source `cvs:data\/points\.csv`/);
    assert.ok(!existsSync(at('bad-data.ts')));
  });

  it('gives diagnostics and writes nothing for an invalid spec', () => {
    const spec = at('invalid.model');
    writeFileSync(spec, 'input 784\ndense2 10 softmax\n');
    const r = runMlc(['emit', spec, '-o', at('invalid/out.ts')]);
    assert.equal(r.status, 1);
    assert.ok(r.stderr.includes(`${spec}:2:1: error: `), r.stderr);
    assert.equal(r.stdout, '');
    assert.ok(!existsSync(at('invalid')), 'no output folder, no helpers');
  });

  it('gives a diagnostic and writes nothing for what TensorFlow.js cannot run', () => {
    const spec = at('amsgrad.model');
    writeFileSync(spec, 'input 4\ndense 2 softmax\ncompile loss=categorical_crossentropy optimizer=adam(amsgrad=true)\n');
    const r = runMlc(['emit', spec, '-o', at('amsgrad/out.ts')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /amsgrad\.model:3:\d+: error: TensorFlow\.js has no AMSGrad variant of adam/);
    assert.ok(!existsSync(at('amsgrad')));

  });

  it('emits buildModel() alone for a spec without a compile section, and says training code needs one', () => {
    const noCompile = at('no-compile.model');
    writeFileSync(noCompile, 'input 4\ndense 2 softmax\n');
    const r = runMlc(['emit', noCompile]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /warning: the spec has no `compile` section, so the module has buildModel\(\) but no training code/);
    assert.match(r.stdout, /export function buildModel\(\): tf\.LayersModel/);
    assert.doesNotMatch(r.stdout, /compileModel|export async function train/);
  });

  it('refuses -o onto a folder or under a file before emitting, as a usage error', () => {
    const folder = at('folder.ts');
    mkdirSync(folder);
    const onto = runMlc(['emit', 'specs/lenet5.model', '-o', folder]);
    assert.equal(onto.status, 2, onto.stderr);
    assert.match(onto.stderr, /cannot write -o .*folder\.ts: .*folder\.ts is a folder; give a file name/);
    const file = at('plain.txt');
    writeFileSync(file, 'x');
    const under = runMlc(['emit', 'specs/lenet5.model', '-o', join(file, 'out.ts')]);
    assert.equal(under.status, 2, under.stderr);
    assert.match(under.stderr, /plain\.txt is a file, so .* cannot be written under it/);
    assert.doesNotMatch(onto.stderr + under.stderr, /internal error/);
  });

  it('gives the emitted program a plain default save folder whatever the model is called', () => {
    assert.equal(defaultSaveDir('../../x'), 'x-model');
    assert.equal(defaultSaveDir('/etc'), 'etc-model');
    assert.equal(defaultSaveDir('mnist_mlp'), 'mnist_mlp-model');
    assert.equal(defaultSaveDir('..'), 'model');
  });

  it('treats a bad flag as a usage error', () => {
    assert.equal(runMlc(['emit', 'specs/lenet5.model', '--target', 'py']).status, 2);
    assert.equal(runMlc(['emit', 'specs/lenet5.model', '--tfjs', 'cpu']).status, 2);
    assert.equal(runMlc(['emit', 'specs/lenet5.model', '-o', at('lenet.js')]).status, 2);
  });
});
