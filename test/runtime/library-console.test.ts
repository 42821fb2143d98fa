/**
 * TensorFlow.js's own console messages stay out of mlc's output: an LSTM
 * whose recurrent kernel has more than 2000 elements makes tfjs-layers'
 * Orthogonal initializer warn "Slowness may result" (as Keras's does not).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../cli/run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'mlc-console-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test("training an LSTM prints no library warning; --verbose shows it, marked as TensorFlow.js's", () => {
  const spec = join(scratch, 'lstm.model');
  // lstm 32: a 32x128 recurrent kernel, 4096 elements.
  writeFileSync(spec, 'input 6 int32\nembedding 20 4\nlstm 32\ndense 1 sigmoid\ncompile loss=binary_crossentropy optimizer=adam\nfit epochs=1 batch=4\n');
  const data = join(scratch, 'seqs.json');
  writeFileSync(data, JSON.stringify(Array.from({ length: 8 }, (_, i) => ({ tokens: [1, 2, 3, i + 1], label: i % 2 }))));
  const quiet = runCli(['train', spec, '--data', `json:${data}`, '--backend', 'cpu']);
  assert.equal(quiet.status, 0, quiet.stderr);
  assert.doesNotMatch(quiet.stdout + quiet.stderr, /Orthogonal|Slowness/);
  const verbose = runCli(['train', spec, '--data', `json:${data}`, '--backend', 'cpu', '--verbose']);
  assert.equal(verbose.status, 0, verbose.stderr);
  assert.match(verbose.stderr, /^tensorflow\.js: Orthogonal initializer is being called on a matrix with more than 2000 \(4096\) elements/m);
  assert.doesNotMatch(verbose.stdout, /Orthogonal/);
});
