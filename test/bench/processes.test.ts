/** The bench's process helpers: the module tracer behind "mlc check loads no TensorFlow.js", and child timing. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runChild } from '../../bench/child.js';
import { deepSpec } from '../../bench/compiler-speed.js';
import { readTrace, traceArgs } from '../../bench/module-trace.js';

const scratch = mkdtempSync(join(tmpdir(), 'mlc-bench-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function traced(name: string, code: string): ReturnType<typeof readTrace> {
  const file = join(scratch, `${name}.trace`);
  const r = spawnSync(process.execPath, [...traceArgs(file), '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return readTrace(file);
}

describe('module tracer', () => {
  it('sees TensorFlow.js when a process imports it', () => {
    const trace = traced('tf', "await import('@tensorflow/tfjs-core')");
    assert.ok(trace.tensorflow.some((m) => m.includes('/@tensorflow/tfjs-core/')), trace.modules.join('\n'));
  });

  it('sees packages loaded through require as well as through import', () => {
    const trace = traced('cjs', "import { createRequire } from 'node:module'; createRequire(process.cwd() + '/')('ajv')");
    assert.ok(trace.modules.some((m) => m.includes('/node_modules/ajv/')), trace.modules.join('\n'));
    assert.deepEqual(trace.tensorflow, []);
  });

  it('reports no TensorFlow.js for a process that does not load it', () => {
    const trace = traced('none', "await import('commander')");
    assert.ok(trace.modules.some((m) => m.includes('/node_modules/commander/')));
    assert.deepEqual(trace.tensorflow, []);
  });
});

describe('runChild', () => {
  it('takes the JSON result of a child that does not exit and ends it after the grace period', async () => {
    const code = "console.log(JSON.stringify({ samplesPerSec: 5 })); setInterval(() => {}, 1000);";
    const r = await runChild(process.execPath, ['-e', code], { timeoutMs: 30_000, stopAfterJson: { graceMs: 200 } });
    assert.equal(r.lingered, true);
    assert.equal(r.timedOut, false);
    assert.deepEqual(r.json, { samplesPerSec: 5 });
  });

  it('kills a child that runs past its time limit and says so', async () => {
    const r = await runChild(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 300 });
    assert.equal(r.timedOut, true);
    assert.equal(r.json, undefined);
  });

  it('reports a command that cannot start instead of throwing', async () => {
    const r = await runChild(join(scratch, 'no-such-program'), []);
    assert.ok(r.spawnError);
    assert.equal(r.code, null);
  });
});

describe('deep spec', () => {
  it('is a spec that mlc check accepts', () => {
    const file = join(scratch, 'deep.model');
    writeFileSync(file, deepSpec(5));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'check', file], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
  });
});
