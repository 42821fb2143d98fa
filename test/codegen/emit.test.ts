/**
 * Every spec (the repo's and this folder's, which use every layer kind) is
 * emitted for the default wasm target into one scratch folder and for the web
 * target into a subfolder; all of it must pass `tsc --strict`, and
 * buildModel() must be the model `mlc summary --json` describes, the same for both targets.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { summaryJson } from '../../src/cli/summary-table.js';
import { buildModel as buildRuntimeModel } from '../../src/runtime/model.js';
import {
  allSpecFiles, compileSpec, emitSpec, makeScratch, moduleNameOf, removeScratch, typecheck, writeEmitted, type CompiledSpec,
} from './helpers.js';

interface Emitted {
  spec: CompiledSpec;
  code: string;
  path: string;
}

describe('mlc emit --target ts, on every spec', () => {
  let scratch: string;
  const emitted: Emitted[] = [];
  const emittedWeb: Emitted[] = [];

  before(async () => {
    await tf.setBackend('cpu');
    scratch = makeScratch();
    const webDir = join(scratch, 'web');
    for (const file of allSpecFiles()) {
      const spec = compileSpec(file);
      const result = await emitSpec(spec);
      assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), [], `${file} should emit without errors`);
      emitted.push({ spec, code: result.code!, path: writeEmitted(scratch, moduleNameOf(file), result) });
      const web = await emitSpec(spec, { tfjs: 'web' });
      emittedWeb.push({ spec, code: web.code!, path: writeEmitted(webDir, moduleNameOf(file), web) });
    }
  });

  after(() => removeScratch(scratch));

  it('covers the specs of the repo and every layer kind', () => {
    assert.ok(emitted.length >= 11);
    const kinds = new Set(emitted.flatMap((e) => e.spec.ir.nodes.map((n) => n.kind)));
    for (const kind of ['dense', 'conv2d', 'conv1d', 'maxpool2d', 'avgpool2d', 'maxpool1d', 'avgpool1d', 'globalmaxpool',
      'globalavgpool', 'flatten', 'dropout', 'batchnorm', 'layernorm', 'activation', 'embedding', 'simplernn', 'lstm', 'gru',
      'bidirectional', 'reshape', 'upsample']) {
      assert.ok(kinds.has(kind), `no spec uses ${kind}`);
    }
  });

  it('emits code that passes tsc --strict (nodenext, es2022) for the wasm and web targets, helpers included', () => {
    const { status, output } = typecheck([...emitted, ...emittedWeb].map((e) => e.path));
    assert.equal(output, '');
    assert.equal(status, 0);
  });

  it('builds the same layers, output shapes and parameter counts as `mlc summary --json`', async () => {
    for (const e of emitted) {
      const mod = (await import(pathToFileURL(e.path).href)) as { buildModel(): tf.LayersModel };
      const model = mod.buildModel();
      const expected = summaryJson(e.spec.ir, e.spec.facts);
      assert.equal(model.name, expected.name);
      // tfjs lists a graph's layers in its own topological order, so both sides are sorted by name.
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      const layers = model.layers
        .filter((l) => l.getClassName() !== 'InputLayer')
        .map((l) => ({ name: l.name, type: l.getClassName(), outputShape: l.outputShape, params: l.countParams() }))
        .sort(byName);
      const wanted = expected.layers.map(({ name, type, outputShape, params }) => ({ name, type, outputShape, params })).sort(byName);
      assert.deepEqual(layers, wanted, e.spec.file);
      assert.equal(model.countParams(), expected.totalParams, e.spec.file);
      model.dispose();
    }
  });

  it('starts from the same weights as `mlc train` for a seeded spec', async () => {
    const seeded = emitted.filter((e) => e.spec.ir.fit?.seed !== undefined);
    assert.ok(seeded.length >= 2);
    for (const e of seeded) {
      const mod = (await import(pathToFileURL(e.path).href)) as { buildModel(): tf.LayersModel };
      const ours = mod.buildModel();
      const runtime = buildRuntimeModel(tf, e.spec.ir, { seed: e.spec.ir.fit?.seed });
      const a = ours.getWeights();
      const b = runtime.getWeights();
      assert.equal(a.length, b.length);
      a.forEach((w, i) => assert.deepEqual(w.dataSync(), b[i].dataSync(), `${e.spec.file}: weight ${i}`));
      ours.dispose();
      runtime.dispose();
    }
  });

  it('gives identical bytes when emitting twice', async () => {
    for (const e of emitted) {
      const again = await emitSpec(e.spec);
      assert.equal(again.code, e.code, e.spec.file);
    }
    // The helpers too, kernels included: same files, same order, same bytes.
    const cnn = emitted.find((e) => e.spec.file.endsWith('mnist-cnn.model'))!.spec;
    const [first, second] = [await emitSpec(cnn), await emitSpec(cnn)];
    assert.ok(first.helpers.some((h) => h.path.startsWith('mlc-kernels/')));
    assert.deepEqual(second.helpers, first.helpers);
  });

  it('puts each layer under the spec text it came from', () => {
    const cnn = emitted.find((e) => e.spec.file.endsWith('mnist-cnn.model'))!;
    const order = ['// input 28x28x1', '// conv 32 5x5 relu', '// conv 64 5x5 relu', '// maxpool 2', '// flatten', '// dense 128 relu', '// dense 10 softmax'];
    const positions = order.map((line) => cnn.code.indexOf(line));
    assert.ok(positions.every((p) => p >= 0), `missing comment in:\n${cnn.code}`);
    assert.deepEqual([...positions].sort((a, b) => a - b), positions, 'comments are in layer order');
    // The comment sits right above the layer's statement.
    assert.match(cnn.code, /\/\/ maxpool 2\n\s*const max_pooling2d = tf\.layers/);
  });

  it('spells out the compile and fit sections', () => {
    const lenet = emitted.find((e) => e.spec.file.endsWith('lenet5.model'))!.code;
    assert.match(lenet, /loss: "sparseCategoricalCrossentropy"/);
    assert.match(lenet, /optimizer: tf\.train\.sgd\(0\.9\)/);
    assert.match(lenet, /metrics: \["accuracy"\]/);
    assert.match(lenet, /epochs: 5,\s*batchSize: 32,\s*validationSplit: 0\.1,\s*shuffle: true/);
    assert.match(lenet, /DEFAULT_DATA: string \| undefined = "mnist"/);
    const blocks = emitted.find((e) => e.spec.file.endsWith('image-blocks.model'))!.code;
    assert.match(blocks, /tf\.train\.momentum\(0\.1, 0\.9, false\)/);
    // A seeded fit seeds every initializer, so the emitted model starts from fixed weights.
    assert.match(blocks, /kernelInitializer: tf\.initializers\.glorotUniform\(\{ seed: \d+ \}\)/);
  });

  it('copies the data loaders of `mlc train` unchanged', () => {
    const emittedIndex = readFileSync(new URL('mlc-data/index.ts', pathToFileURL(`${scratch}/`)), 'utf8');
    const original = readFileSync(new URL('../../src/runtime/data/index.ts', import.meta.url), 'utf8');
    assert.ok(emittedIndex.endsWith(original));
    assert.match(emitted[0].code, /from "\.\/mlc-data\/index\.js"/);
  });
  it('targets the wasm backend by default, with the kernels of `mlc train`, and web on request', () => {
    const cnn = emitted.find((e) => e.spec.file.endsWith('mnist-cnn.model'))!.code;
    assert.match(cnn, /^import \* as tf from "@tensorflow\/tfjs";$/m);
    assert.match(cnn, /^import \{ setWasmPaths \} from "@tensorflow\/tfjs-backend-wasm";$/m);
    assert.match(cnn, /^import \{ registerWasmKernels \} from "\.\/mlc-kernels\/index\.js";$/m);
    assert.match(cnn, /export async function useWasmBackend\(\): Promise<void> \{\n\s*registerWasmKernels\(\);[\s\S]*?await tf\.setBackend\("wasm"\)/);
    // train() switches backend before anything else touches TensorFlow.js.
    assert.match(cnn, /export async function train\([^)]*\): Promise<TrainResult> \{\n\s*const log = [^\n]*\n\s*await useWasmBackend\(\);/);
    const web = emittedWeb.find((e) => e.spec.file.endsWith('mnist-cnn.model'))!.code;
    assert.doesNotMatch(web, /useWasmBackend|mlc-kernels|tfjs-backend-wasm/);
    assert.match(web, /emit with `--tfjs wasm` \(the default\)/);
  });

  it('keeps buildModel() and compileModel() the same on every target', () => {
    // From buildModel's comment to the next section: useWasmBackend (wasm) or the fit section (web).
    const modelAndCompile = (code: string) =>
      code.slice(code.indexOf("/** The spec's model"), code.search(/\/\*\*\n \* (Switches TensorFlow\.js|The spec's fit section)/));
    for (const [i, e] of emitted.entries()) {
      const wasm = modelAndCompile(e.code);
      assert.match(wasm, /export function buildModel\(\)[\s\S]*export function compileModel\(/, e.spec.file);
      assert.equal(wasm, modelAndCompile(emittedWeb[i].code), e.spec.file);
    }
  });

  it('copies the wasm kernels of `mlc train` unchanged, for the wasm target only', () => {
    const kernelsDir = new URL('../../src/runtime/kernels/', import.meta.url);
    for (const name of ['index.ts', 'conv2d-gradients.ts']) {
      const copy = readFileSync(join(scratch, 'mlc-kernels', name), 'utf8');
      const original = readFileSync(new URL(name, kernelsDir), 'utf8');
      assert.ok(copy.endsWith(original), name);
      assert.match(copy, new RegExp(`^// Copied by \`mlc emit\` from mlc's src/runtime/kernels/${name.replace('.', '\\.')}: `));
    }
    assert.throws(() => readFileSync(join(scratch, 'web', 'mlc-kernels', 'index.ts')), /ENOENT/);
  });
});
