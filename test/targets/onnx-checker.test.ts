/**
 * Every exported test model passes ONNX's own checker with full shape
 * inference (`onnx.checker.check_model(full_check=True)`, from python3's
 * onnx package), so tools stricter than onnxruntime (Netron, converters)
 * read it too. Skipped, with a note, where python3 has no onnx.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { compileIRJson, compileSource } from '../../src/ir/pipeline.js';
import type { IR } from '../../src/ir/types.js';
import type { SavedWeight } from '../../src/runtime/saved-weights.js';
import { exportOnnx } from '../../src/targets/onnx/export.js';
import { CASES } from './onnx-cases.js';
import { GRAPH_CASES } from './onnx-graph-cases.js';
import { seeded } from './onnx-helpers.js';

const CHECK = `
import sys, onnx
failed = 0
for path in sys.argv[1:]:
    try:
        onnx.checker.check_model(onnx.load(path), full_check=True)
    except Exception as e:
        failed += 1
        print(f"{path}: {e}".splitlines()[0])
sys.exit(1 if failed else 0)
`;

// The first python with onnx: the one on PATH, or the system's (where apt installs python3-onnx).
const python = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import onnx'], { encoding: 'utf8' }).status === 0);
const skip = python ? false : 'python3 has no onnx package (apt-get install python3-onnx, or pip install onnx)';
if (skip) process.stdout.write(`note: ONNX checker test skipped: ${skip}\n`);

const scratch = mkdtempSync(join(tmpdir(), 'mlc-onnx-check-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The model exported with seeded weights of the shapes inference gives (no TensorFlow.js needed). */
function exported(spec: string | IR): Uint8Array {
  const compiled = typeof spec === 'string' ? compileSource(spec, 'check.model') : compileIRJson(JSON.stringify(spec), 'check.json');
  assert.ok(compiled.ir && compiled.facts, compiled.diagnostics.map((d) => d.message).join('; '));
  const rnd = seeded(1);
  const weights = new Map<string, SavedWeight>();
  compiled.facts.nodes.forEach((n) => {
    for (const w of n.weights) {
      const size = w.shape.reduce((p, d) => p * d, 1);
      weights.set(`${n.name}/${w.name}`, { shape: w.shape, dtype: 'float32', data: Float32Array.from({ length: size }, () => rnd()) });
    }
  });
  return exportOnnx(compiled.ir, compiled.facts, weights);
}

describe('ONNX checker', () => {
  it('accepts every spec, layer case and graph case with full shape inference', { skip }, () => {
    const specs: [string, string | IR][] = [
      ...readdirSync('specs').filter((f) => f.endsWith('.model')).map((f): [string, string] => [f, readFileSync(`specs/${f}`, 'utf8')]),
      ...CASES.map((c): [string, string] => [c.name, c.source]),
      ...GRAPH_CASES.map((c): [string, IR] => [c.name, c.ir]),
    ];
    const files = specs.map(([name, spec], i) => {
      const file = join(scratch, `${i}.onnx`);
      writeFileSync(file, exported(spec));
      return { file, name };
    });
    const r = spawnSync(python!, ['-c', CHECK, ...files.map((f) => f.file)], { encoding: 'utf8' });
    const named = r.stdout.replace(/\S+\/(\d+)\.onnx:/g, (_, i: string) => `${files[Number(i)].name}:`);
    assert.equal(r.status, 0, named + r.stderr);
  });
});
