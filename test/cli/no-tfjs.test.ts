/** `mlc check` must start fast: nothing under the compiler commands may load TensorFlow.js. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli } from './run-cli.js';

test('check, summary, ir and fmt never load @tensorflow modules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlc-load-'));
  const log = join(dir, 'resolved.txt');
  // A module-resolution hook that records every specifier the process resolves.
  const hook = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) { appendFileSync(${JSON.stringify(log)}, specifier + '\\n'); return next(specifier, context); }`;
  const register = `import { register } from 'node:module'; register(${JSON.stringify('data:text/javascript,' + encodeURIComponent(hook))}, ${JSON.stringify(pathToFileURL('./').href)});`;
  try {
    for (const args of [['check', 'specs/lenet5.model'], ['summary', 'specs/mnist-cnn.model'], ['ir', 'specs/sentiment-rnn.model'], ['fmt', 'specs/mnist-mlp.model']]) {
      const r = runCli(args, { nodeArgs: ['--import', 'data:text/javascript,' + encodeURIComponent(register)] });
      assert.equal(r.status, 0, r.stderr);
    }
    const resolved = readFileSync(log, 'utf8');
    assert.match(resolved, /chevrotain/, 'the hook saw the parser being loaded');
    assert.doesNotMatch(resolved, /@tensorflow/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
