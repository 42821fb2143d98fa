/**
 * A module `mlc emit` wrote sets up training with registerWasmKernels() alone
 * (src/codegen/backend-section.ts), not through mlc's backend selection: that
 * call must also register the gradients TensorFlow.js lacks on every backend,
 * or the emitted module cannot train what `mlc train` trains. This file runs
 * in its own process, so nothing else has registered them before.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { registerWasmKernels } from '../../src/runtime/kernels/index.js';

test('registerWasmKernels() alone makes dilated convolutions and a one-step unstack trainable', async () => {
  await tf.setBackend('cpu');
  const x = tf.ones([1, 6, 6, 2]) as tf.Tensor4D;
  const dilated = (w: tf.Tensor) => tf.sum(tf.conv2d(x, w as tf.Tensor4D, 1, 'valid', 'NHWC', [2, 1]));
  const depthwise = (w: tf.Tensor) => tf.sum(tf.depthwiseConv2d(x, w as tf.Tensor4D, 1, 'valid', 'NHWC', [1, 2]));
  const unstacked = (v: tf.Tensor) => tf.sum(tf.unstack(tf.mul(v, 2), 1)[0]!);
  const before = () => [tf.grad(dilated)(tf.ones([2, 2, 2, 3])), tf.grad(depthwise)(tf.ones([2, 2, 2, 1])), tf.grad(unstacked)(tf.ones([2, 1, 3]))];
  assert.throws(before, /dilation rates greater than 1|stack|not yet supported/, 'TensorFlow.js lacks these gradients until mlc registers them');
  registerWasmKernels();
  const [conv, depth, unstack] = before();
  // d/dw Σ conv(x = 1, w) with dilation: every tap sees 6 − (2 − 1)·dilation rows by columns of ones.
  assert.deepEqual(Array.from(conv!.dataSync()), Array(2 * 2 * 2 * 3).fill(4 * 5));
  assert.deepEqual(Array.from(depth!.dataSync()), Array(2 * 2 * 2).fill(5 * 4));
  assert.deepEqual(Array.from(unstack!.dataSync()), Array(6).fill(2));
});
