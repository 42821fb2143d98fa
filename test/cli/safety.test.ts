/** The command line never destroys a user's file, never reads without bound, and never lets a file's bytes drive the terminal. */
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from './run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'mlc-cli-safety-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('train -o', () => {
  it('leaves a folder that is not an mlc save as it was, before loading any data', () => {
    const dir = join(scratch, 'work');
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'thesis.txt'), 'years of work');
    const r = runCli(['train', 'specs/mnist-mlp.model', '--epochs', '1', '--limit', '64', '-o', dir, '--force']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /is a folder with 2 entries \(data, thesis\.txt\), not a model saved by mlc; it is left untouched/);
    assert.match(r.stderr, /help: choose a new name/);
    assert.doesNotMatch(r.stdout + r.stderr, /data: /, 'refused before the data is read');
    assert.equal(readFileSync(join(dir, 'thesis.txt'), 'utf8'), 'years of work');
  });
});

describe('bounded reads', () => {
  it('mlc check refuses a device instead of reading it for ever', () => {
    const r = runCli(['check', '/dev/zero']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot read \/dev\/zero: it is a device, not a file/);
  });
});

describe('control characters', () => {
  it('are shown escaped when a source line is quoted in an error', () => {
    const file = join(scratch, 'evil.model');
    writeFileSync(file, 'input 784\ndense2 10 \x1b]0;owned\x07\x1b[2J\n');
    const r = runCli(['check', file]);
    assert.equal(r.status, 1);
    assert.doesNotMatch(r.stderr, /\x1b|\x07/);
    assert.match(r.stderr, /\\x1b\]0;owned\\x07\\x1b\[2J/);
  });


  it('are shown escaped in a file name a usage error repeats', () => {
    const r = runCli(['check', join(scratch, 'missing\x1b[2J.model')]);
    assert.equal(r.status, 2);
    assert.doesNotMatch(r.stderr, /\x1b/);
    assert.match(r.stderr, /missing\\x1b\[2J\.model: no such file/);
  });
});

describe('fmt --write', () => {
  const unformatted = 'input   784\ndense 10   softmax\n';

  it('keeps the file mode', () => {
    const file = join(scratch, 'private.model');
    writeFileSync(file, unformatted);
    chmodSync(file, 0o600);
    assert.equal(runCli(['fmt', '--write', file]).status, 0);
    assert.notEqual(readFileSync(file, 'utf8'), unformatted);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  it('writes through a symbolic link to its target, keeping the link', () => {
    const target = join(scratch, 'real.model');
    const link = join(scratch, 'link.model');
    writeFileSync(target, unformatted);
    symlinkSync(target, link);
    assert.equal(runCli(['fmt', '--write', link]).status, 0);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readlinkSync(link), target);
    assert.equal(readFileSync(target, 'utf8'), 'input 784\ndense 10 softmax\n');
  });
});
