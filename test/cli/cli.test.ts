import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'mlc-cli-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

function specFile(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

test('check: a valid spec exits 0 and says what it found', () => {
  const r = runCli(['check', 'specs/lenet5.model']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /specs\/lenet5\.model: ok — 8 layers, 44,426 parameters, output \(None, 10\)/);
});

test('check: one layer and one parameter are singular', () => {
  const r = runCli(['check', specFile('one.model', 'input 784\nflatten\n'), specFile('scale.model', 'input 1\ndense 1 use_bias=false\n')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /one\.model: ok — 1 layer, 0 parameters, output \(None, 784\)/);
  assert.match(r.stdout, /scale\.model: ok — 1 layer, 1 parameter, output \(None, 1\)/);
});

test('check: an invalid spec exits 1 with FILE:LINE:COL, the line, a caret and help', () => {
  const f = specFile('typo.model', 'input 784\ndense 512 relu\ndense 10 sofmax\n');
  const r = runCli(['check', f]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:10: error: `));
  assert.match(r.stderr, /\n\s+3 \| dense 10 sofmax\n\s+\| {10}\^{6}\n/);
  assert.match(r.stderr, /help: did you mean `softmax`\?/);
  assert.doesNotMatch(r.stderr, /\bat .*\(.*:\d+:\d+\)/, 'no stack trace');
});

test('check: conv after a flat input explains the reshape', () => {
  const f = specFile('flat.model', 'input 784\nconv 32 5x5 relu\n');
  const r = runCli(['check', f]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /:2:1: error: /);
  assert.match(r.stderr, /\(None, 784\)/);
  assert.match(r.stderr, /help: .*reshape 28x28x1/);
});

test('check: every syntax error in a file is reported in one run', () => {
  const f = specFile('many.model', 'input 784\ndense 10 relu =\ndense @ 5\ndense 10 softmax\ncompile loss=\n');
  const r = runCli(['check', f]);
  assert.equal(r.status, 1);
  const errors = r.stderr.match(/: error: /g) ?? [];
  assert.ok(errors.length >= 3, r.stderr);
  for (const line of [2, 3, 5]) assert.match(r.stderr, new RegExp(`many\\.model:${line}:\\d+: error: `));
});

test('check: usage errors exit 2', () => {
  assert.equal(runCli(['check', join(tmp, 'missing.model')]).status, 2);
  assert.equal(runCli(['check', 'specs/lenet5.model', '--no-such-flag']).status, 2);
  assert.equal(runCli(['no-such-command']).status, 2);
});

test('check: accepts IR JSON written by mlc ir', () => {
  const ir = runCli(['ir', 'specs/mnist-cnn.model']);
  assert.equal(ir.status, 0, ir.stderr);
  const f = specFile('mnist-cnn.json', ir.stdout);
  const r = runCli(['check', f]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /ok — 6 layers/);
  const broken = specFile('broken.json', ir.stdout.replace('"filters": 32', '"filters": -3'));
  const b = runCli(['check', broken]);
  assert.equal(b.status, 1);
  assert.match(b.stderr, /error: .*filters/);
});

test('summary --json prints exactly the object of the language contract', () => {
  const r = runCli(['summary', 'specs/lenet5.model', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(s), ['name', 'layers', 'totalParams', 'trainableParams', 'nonTrainableParams']);
  assert.equal(s.name, 'lenet5');
  assert.deepEqual(s.layers[0], { name: 'conv2d', type: 'Conv2D', outputShape: [null, 24, 24, 6], params: 156 });
  assert.equal(s.totalParams, 44426);
});

test('summary prints a Keras-style table with MACs and memory', () => {
  const r = runCli(['summary', 'specs/lenet5.model']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Model: "lenet5"/);
  assert.match(r.stdout, /Layer \(type\)\s+Output Shape\s+Param #\s+MACs/);
  assert.match(r.stdout, /conv2d \(Conv2D\)\s+\(None, 24, 24, 6\)\s+156\s+86,400/);
  assert.match(r.stdout, /Total params: 44,426 \(173\.54 KB\)/);
  assert.match(r.stdout, /Non-trainable params: 0/);
  assert.match(r.stdout, /Total MACs: /);
});

test('fmt: --check flags unformatted files, --write fixes them, formatting is stable', () => {
  const f = specFile('messy.model', 'input   784   # pixels\n\n\n\ndense 512   relu->dense 10 softmax\ncompile loss=categorical_crossentropy   optimizer=rmsprop\n');
  assert.equal(runCli(['fmt', '--check', f]).status, 1);
  const irWithoutSpans = () =>
    JSON.stringify(JSON.parse(runCli(['ir', f]).stdout), (k, v) => (k === 'span' || k === 'argSpans' ? undefined : v));
  const before = irWithoutSpans();
  assert.equal(runCli(['fmt', '--write', f]).status, 0);
  const text = readFileSync(f, 'utf8');
  assert.match(text, /# pixels/);
  assert.equal(runCli(['fmt', '--check', f]).status, 0);
  assert.equal(irWithoutSpans(), before, 'formatting never changes the IR (only where things are written)');
});

test('help shows an example for mlc and for each command', () => {
  assert.match(runCli(['--help']).stdout, /Example:/);
  for (const cmd of ['check', 'summary', 'ir', 'fmt']) assert.match(runCli([cmd, '--help']).stdout, /Example:/, cmd);
});

test('output into a pipe that closed early (`mlc ir x | head`) ends quietly, exit 0, no stack trace', async () => {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'ir', 'specs/cats-vs-dogs.model'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy(); // the reader is gone before the first write
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(stderr, '');
  assert.equal(code, 0);
});
