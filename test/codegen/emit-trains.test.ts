/**
 * A module `mlc emit` wrote trains what `mlc train` trains, the cases mlc
 * supplies itself included: a dilated conv2d without an activation and a
 * dilated separableconv2d (mlc's Conv2D and dilated gradients, registered by
 * the copied kernels' registerWasmKernels) and a batchnorm and layernorm of
 * rank 5 (mlc's own layers, chosen from the shapes as the runtime chooses them).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { compileSource } from '../../src/ir/pipeline.js';
import { emitTypeScript } from '../../src/codegen/emit.js';
import { makeScratch, removeScratch, writeEmitted } from './helpers.js';

const SPEC = `model emitted_trains

input 6x6x2
conv 2 2 dilation_rate=2
separableconv2d 2 2 dilation_rate=1x2
reshape 3x2x1x2
batchnorm
layernorm
flatten
dense 2 softmax
compile loss=categorical_crossentropy optimizer=adam
`;

let scratch: string;
before(() => {
  scratch = makeScratch();
});
after(() => removeScratch(scratch));

it('the emitted module builds on mlc\'s own layers where tfjs-layers cannot train, and one epoch trains it', async () => {
  const r = compileSource(SPEC, 'emitted_trains.model');
  assert.ok(r.ir && r.facts && !r.diagnostics.some((d) => d.severity === 'error'), r.diagnostics.map((d) => d.message).join('; '));
  const result = await emitTypeScript(r.ir!, r.facts!, { source: SPEC, specFile: 'emitted_trains.model' });
  assert.match(result.code ?? '', /mlcLayers\s*\.conv2d\(/);
  assert.match(result.code ?? '', /mlcLayers\s*\.batchNormalization\(/);
  assert.match(result.code ?? '', /mlcLayers\s*\.layerNormalization\(/);
  const path = writeEmitted(scratch, 'emitted_trains', result);
  const mod = (await import(pathToFileURL(path).href)) as { buildModel(): tf.LayersModel; useWasmBackend(): Promise<void> };
  await mod.useWasmBackend();
  const model = mod.buildModel();
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  const x = tf.randomUniform([4, 6, 6, 2], -1, 1, 'float32', 1);
  const y = tf.oneHot(tf.tensor1d([0, 1, 1, 0], 'int32'), 2);
  const history = await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
  assert.ok(Number.isFinite(history.history.loss![0] as number));
  model.dispose();
  tf.dispose([x, y]);
});
