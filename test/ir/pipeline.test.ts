import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { compileIRJson, compileSource, defaultModelName } from '../../src/ir/pipeline.js';
import type { IR } from '../../src/ir/types.js';
import { only } from './helpers.js';

const SPECS = readdirSync('specs').filter((f) => f.endsWith('.model')).map((f) => join('specs', f));

test('every spec in specs/ checks clean, and its IR JSON gives identical facts', () => {
  assert.ok(SPECS.length > 0);
  for (const file of SPECS) {
    const r = compileSource(readFileSync(file, 'utf8'), file);
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), [], file);
    assert.ok(r.facts, file);
    const again = compileIRJson(JSON.stringify(r.ir, null, 2), `${file}.json`);
    assert.deepEqual(again.diagnostics.filter((d) => d.severity === 'error'), [], file);
    assert.deepEqual(again.facts, r.facts, file);
  }
});

test('global pooling takes its 1D/2D Keras class and name from the inferred rank', () => {
  const r = compileSource('input ?x16\nconv1d 8 3 -> globalavgpool\ndense 2 softmax\n', 'seq.model');
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.ir?.nodes[1].kerasClass, 'GlobalAveragePooling1D');
  assert.equal(r.ir?.nodes[1].name, 'global_average_pooling1d');
  assert.equal(r.facts?.nodes[1].name, 'global_average_pooling1d');
  const img = compileSource('input 8x8x3\nglobalmaxpool\n', 'img.model');
  assert.equal(img.facts?.nodes[0].name, 'global_max_pooling2d');
  assert.equal(img.facts?.nodes[0].kerasClass, 'GlobalMaxPooling2D');
});

test('no input statement: parsed and lowered, not shape-checked, with a hint', () => {
  const r = compileSource('dense 10 relu\ndense 2 softmax\n', 'x.model');
  assert.ok(r.ast && r.ir);
  assert.equal(r.facts, undefined);
  const d = only(r.diagnostics, 'E-NO-INPUT');
  assert.match(d.message, /cannot be checked/);
  assert.match(d.help ?? '', /input /);
});

test('an inference error keeps every shape it can: layers before it are known, the layers it feeds are unknown', () => {
  const r = compileSource('input 4\ndense 8\nconv 8 3\ndense 2\n', 'x.model');
  const d = only(r.diagnostics, 'E-SHAPE');
  assert.equal(d.span?.line, 3);
  assert.ok(d.related?.some((x) => /the layer after it depends on its output/.test(x.message)));
  assert.deepEqual(r.facts?.nodes.map((n) => [n.name, n.outputShape]), [['dense', [null, 8]]]);
  assert.deepEqual(r.facts?.unknown, ['n2', 'n3']);
});

test('an error in one statement leaves the shapes of the others: an unknown kind, then valid layers', () => {
  const r = compileSource('input 28x28x1\nconv 8 3 relu\nflaten\ndense 10\n', 'x.model');
  assert.equal(only(r.diagnostics, 'E-UNKNOWN-KIND').span?.line, 3);
  // The conv keeps its shape; the dense after the dropped line has no known input, and no second error is reported.
  assert.deepEqual(r.facts?.nodes.map((n) => [n.name, n.outputShape]), [['conv2d', [null, 26, 26, 8]]]);
  assert.equal(r.diagnostics.filter((x) => x.severity === 'error').length, 1);
});

test('all syntax errors are collected and nothing throws', () => {
  const r = compileSource('input 4\ndense 10 = \ndense ) 3\n', 'x.model');
  assert.ok(r.diagnostics.filter((d) => d.severity === 'error').length >= 2);
  assert.ok(r.diagnostics.every((d) => d.span === undefined || d.span.line >= 1));
});

test('default model name is the file base name', () => {
  assert.equal(defaultModelName('specs/mnist-cnn.model'), 'mnist-cnn');
  assert.equal(defaultModelName('C:\\m\\lenet.model'), 'lenet');
  assert.equal(compileSource('input 4\ndense 1\n', 'dir/my_net.model').ir?.name, 'my_net');
});

test('bad JSON is a diagnostic with line and column', () => {
  const r = compileIRJson('{\n  "irVersion": 1,\n  "name": "x",,\n}', 'x.json');
  const d = only(r.diagnostics, 'E-JSON');
  assert.deepEqual([d.span?.line, d.span?.column], [3, 15]);
  assert.equal(only(compileIRJson('', 'x.json').diagnostics, 'E-JSON').span?.line, 1);
  only(compileIRJson('['.repeat(200000), 'x.json').diagnostics, 'E-JSON');
});

test('IR JSON errors point into the JSON text', () => {
  const ir = compileSource('input 4\ndense 3\ndropout 0.5\n', 'x.model').ir!;
  (ir.nodes[1].args as Record<string, unknown>).rate = 1.5;
  const text = JSON.stringify(ir, null, 2);
  const d = only(compileIRJson(text, 'x.json').diagnostics, 'E-ARG-RANGE');
  const line = text.split('\n')[d.span!.line - 1];
  assert.match(line, /"rate": 1\.5/);
  assert.equal(line.slice(d.span!.column - 1, d.span!.endColumn - 1), '1.5');
});

test('shape and compile errors found in IR JSON point at the argument written in the JSON', () => {
  const spec = 'input 8x8x1\nconv 4 3x3\nflatten\ndense 1 sigmoid\ncompile loss=binary_crossentropy optimizer=adam\n';
  // Valid as lowered; each case then breaks one argument of the JSON (on one line, so a span is a slice of it).
  const pointedAt = (edit: (ir: IR) => void, code: string): string => {
    const ir = compileSource(spec, 'x.model').ir!;
    edit(ir);
    const text = JSON.stringify(ir);
    const d = only(compileIRJson(text, 'x.json').diagnostics, code);
    return text.slice(d.span!.column - 1, d.span!.endColumn - 1);
  };
  assert.equal(pointedAt((ir) => ((ir.nodes[0].args as Record<string, unknown>).kernel_size = [9, 9]), 'E-SHAPE'), '[9,9]');
  assert.equal(pointedAt((ir) => (ir.compile!.loss = 'categorical_crossentropy'), 'E-LOSS-SHAPE'), '"categorical_crossentropy"');
});

test('valid JSON that is not an IR gets diagnostics, not exceptions', () => {
  for (const text of ['null', '3', '"x"', '[]', '{}', '{"nodes": [null, 3, {"kind": 5}]}', '{"irVersion":1,"name":"m","inputs":[],"nodes":[],"outputs":[]}']) {
    const r = compileIRJson(text, 'x.json');
    assert.ok(r.diagnostics.length > 0, text);
    assert.ok(!r.diagnostics.some((d) => d.code === 'E-INTERNAL'), `${text}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  }
});

test('arbitrary text never throws, as a spec or as IR JSON', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 80 }), (text) => {
      const a = compileSource(text, 'fuzz.model');
      const b = compileIRJson(text, 'fuzz.json');
      return !a.diagnostics.some((d) => d.code === 'E-INTERNAL') && !b.diagnostics.some((d) => d.code === 'E-INTERNAL');
    }),
    { numRuns: 300, seed: 1447 },
  );
});

test('arbitrary lines from the language never throw', () => {
  const word = fc.constantFrom('input', 'dense', 'conv', 'maxpool', 'bidirectional', 'lstm', 'globalavgpool', 'flatten', 'dropout', 'compile', 'fit', 'model', '10', '3x3', '?x4', '0.5', 'relu', 'name=a', 'loss=mse', 'optimizer=adam(lr=1)', 'metrics=[acc]', '->', 'strides=2', 'int32', '-1', 'true');
  const line = fc.array(word, { minLength: 1, maxLength: 6 }).map((ws) => ws.join(' '));
  fc.assert(
    fc.property(fc.array(line, { maxLength: 6 }), (lines) => {
      const r = compileSource(lines.join('\n'), 'fuzz.model');
      return !r.diagnostics.some((d) => d.code === 'E-INTERNAL');
    }),
    { numRuns: 300, seed: 7 },
  );
});

test('nothing under src/parser or src/ir imports TensorFlow.js', () => {
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  for (const file of [...walk('src/parser'), ...walk('src/ir')].filter((f) => f.endsWith('.ts'))) {
    assert.doesNotMatch(readFileSync(file, 'utf8'), /from ['"]@tensorflow|import\(['"]@tensorflow/, file);
  }
});
