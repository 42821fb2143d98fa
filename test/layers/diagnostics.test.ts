/** Shape and argument errors: code, span, expected vs actual shape in Keras notation, and a fix. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Diagnostic, Span } from '../../src/diagnostics/diagnostic.js';
import type { InferResult } from '../../src/layers/types.js';
import { inferLayer, NODE_SPAN } from './helpers.js';

const ARG_SPAN: Span = { line: 3, column: 9, endLine: 3, endColumn: 12 };

/** The one diagnostic of a failed inference. */
function failure(r: InferResult, code = 'E-SHAPE'): Diagnostic {
  assert.equal(r.ok, false, 'inference should fail');
  if (r.ok) throw new Error('unreachable');
  assert.equal(r.diagnostics.length, 1);
  const d = r.diagnostics[0];
  assert.equal(d.severity, 'error');
  assert.equal(d.code, code);
  assert.ok(d.help && d.help.length > 0, 'a fix is suggested');
  return d;
}

describe('wrong input rank for image layers suggests the reshape', () => {
  test('conv2d on a flat 784 input', () => {
    const d = failure(inferLayer('conv2d', { filters: 32, kernel_size: 5 }, [784]));
    assert.equal(d.message, 'conv2d expects a 4-D input (batch, height, width, channels); got (None, 784)');
    assert.equal(d.help, 'add `reshape 28x28x1` before it');
    assert.deepEqual(d.span, NODE_SPAN);
  });
  test('conv2d on a flat colour image (3072 = 32x32x3)', () => {
    assert.match(failure(inferLayer('conv2d', { filters: 8, kernel_size: 3 }, [3072])).help!, /reshape 32x32x3/);
  });
  test('conv2d on a (28, 28) grey image', () => {
    const d = failure(inferLayer('conv2d', { filters: 8, kernel_size: 3 }, [28, 28]));
    assert.match(d.message, /got \(None, 28, 28\)/);
    assert.match(d.help!, /reshape 28x28x1/);
  });
  test('conv2d on a length that is no image: a generic reshape', () => {
    assert.match(failure(inferLayer('conv2d', { filters: 8, kernel_size: 3 }, [10])).help!, /reshape HxWxC/);
  });
  test('maxpool2d and upsample on a flat input', () => {
    assert.match(failure(inferLayer('maxpool2d', { pool_size: 2 }, [784])).message, /4-D input .* got \(None, 784\)/);
    assert.match(failure(inferLayer('upsample', {}, [64])).help!, /reshape 8x8x1/);
  });
  test('conv1d on a flat input suggests one channel per step', () => {
    const d = failure(inferLayer('conv1d', { filters: 8, kernel_size: 3 }, [100]));
    assert.equal(d.message, 'conv1d expects a 3-D input (batch, steps, channels); got (None, 100)');
    assert.equal(d.help, 'add `reshape 100x1` before it');
  });
  test('conv2d with an unknown channel count', () => {
    assert.match(failure(inferLayer('conv2d', { filters: 8, kernel_size: 3 }, [8, 8, null])).message, /channel .*\(None, 8, 8, None\)/);
  });
});

describe('windows larger than their input', () => {
  test('conv2d kernel 5x5 on a 3x3 input points at the kernel', () => {
    const d = failure(inferLayer('conv2d', { filters: 8, kernel_size: 5 }, [3, 3, 64], 'float32', { kernel_size: ARG_SPAN }));
    assert.equal(d.message, 'conv2d kernel 5x5 is larger than its input 3x3 (input shape (None, 3, 3, 64))');
    assert.equal(d.help, 'use `padding=same` to keep the size, or a kernel of at most 3x3');
    assert.deepEqual(d.span, ARG_SPAN);
  });
  test('same padding makes it fit', () => {
    const r = inferLayer('conv2d', { filters: 8, kernel_size: 5, padding: 'same' }, [3, 3, 64]);
    assert.ok(r.ok);
  });
  test('a dilated kernel that spans more than the input', () => {
    const d = failure(inferLayer('conv2d', { filters: 8, kernel_size: 3, dilation_rate: 3, activation: 'relu' }, [6, 6, 1]));
    assert.match(d.message, /kernel 3x3 with dilation 3x3 spans 7x7 and is larger than its input 6x6/);
  });
  test('maxpool 2 on a 1x1 input', () => {
    const d = failure(inferLayer('maxpool2d', { pool_size: 2 }, [1, 1, 8]));
    assert.match(d.message, /maxpool2d pool 2x2 is larger than its input 1x1 \(input shape \(None, 1, 1, 8\)\)/);
    assert.match(d.help!, /padding=same/);
  });
  test('conv1d kernel longer than the sequence', () => {
    assert.match(failure(inferLayer('conv1d', { filters: 8, kernel_size: 7 }, [5, 2])).message, /kernel 7 is larger than its input 5/);
  });
});

describe('recurrent layers', () => {
  test('lstm on a 2-D float input suggests reshape or embedding', () => {
    const d = failure(inferLayer('lstm', { units: 8 }, [784]));
    assert.equal(d.message, 'lstm expects a 3-D input (batch, timesteps, features); got (None, 784)');
    assert.match(d.help!, /reshape 784x1/);
    assert.match(d.help!, /embedding/);
    assert.match(d.help!, /input 784 int32/);
  });
  test('gru on int32 token ids suggests an embedding', () => {
    assert.match(failure(inferLayer('gru', { units: 8 }, [20], 'int32')).help!, /^add `embedding VOCAB 64` before it/);
  });
  test('bidirectional reports its inner layer\'s shape error', () => {
    assert.match(failure(inferLayer('bidirectional', { layer: { kind: 'lstm', args: { units: 4 } } }, [50])).message, /lstm expects a 3-D input/);
  });
  test('simplernn with an unknown feature size', () => {
    assert.match(failure(inferLayer('simplernn', { units: 4 }, [10, null])).message, /\(None, 10, None\)/);
  });
});

describe('embedding', () => {
  test('float32 input gives a warning that suggests an int32 input', () => {
    const r = inferLayer('embedding', { input_dim: 100, output_dim: 8 }, [20], 'float32');
    assert.ok(r.ok, 'Keras casts the ids, so inference goes on');
    assert.equal(r.warnings?.length, 1);
    const w = r.warnings![0];
    assert.equal(w.severity, 'warning');
    assert.match(w.message, /\(None, 20\) is float32/);
    assert.match(w.help!, /`input 20 int32`/);
  });
  test('int32 input gives no warning', () => {
    const r = inferLayer('embedding', { input_dim: 100, output_dim: 8 }, [20], 'int32');
    assert.ok(r.ok);
    assert.equal(r.warnings, undefined);
    assert.equal(r.outputDtype, 'float32');
  });
});

describe('reshape', () => {
  test('element counts that differ', () => {
    const d = failure(inferLayer('reshape', { target_shape: [28, 28, 2] }, [784], 'float32', { target_shape: ARG_SPAN }));
    assert.equal(d.message, 'reshape to (28, 28, 2) needs 1568 values, but its input (None, 784) has 784');
    assert.match(d.help!, /multiply to 784/);
    assert.match(d.help!, /reshape \[-1, 2\]/);
    assert.deepEqual(d.span, ARG_SPAN);
  });
  test('-1 that does not divide the input', () => {
    assert.match(failure(inferLayer('reshape', { target_shape: [-1, 3] }, [10])).message, /needs a multiple of 3 values, but its input \(None, 10\) has 10/);
  });
  test('-1 given twice', () => {
    assert.match(failure(inferLayer('reshape', { target_shape: [-1, -1] }, [16])).message, /more than one -1/);
  });
  test('a `?` (null) target dimension is read as -1', () => {
    const r = inferLayer('reshape', { target_shape: [null, 4] }, [16]);
    assert.ok(r.ok);
    assert.deepEqual(r.outputShape, [null, 4, 4]);
  });
});

describe('other layers', () => {
  test('flatten of an unknown dimension', () => {
    const d = failure(inferLayer('flatten', {}, [null, 16]));
    assert.equal(d.message, 'flatten needs every dimension but the batch known; got (None, None, 16)');
    assert.match(d.help!, /globalavgpool/);
  });
  test('flatten of an already flat input keeps it (Keras; tfjs-layers refuses rank 2)', () => {
    const r = inferLayer('flatten', {}, [784]);
    assert.ok(r.ok);
    assert.deepEqual(r.outputShape, [null, 784]);
  });
  test('dense with an unknown last dimension', () => {
    assert.match(failure(inferLayer('dense', { units: 4 }, [16, null])).message, /dense needs a known feature \(last\) dimension .*\(None, 16, None\)/);
  });
  test('global pooling of a flat input', () => {
    const d = failure(inferLayer('globalavgpool', {}, [128]));
    assert.match(d.message, /3-D .* or 4-D .* input; got \(None, 128\)/);
    assert.match(d.help!, /already flat/);
  });
  test('conv2d strides and dilation together', () => {
    const d = failure(inferLayer('conv2d', { filters: 4, kernel_size: 3, strides: 2, dilation_rate: 2 }, [9, 9, 3], 'float32', { dilation_rate: ARG_SPAN }), 'E-ARG');
    assert.deepEqual(d.span, ARG_SPAN);
  });
  test('batchnorm on the batch axis', () => {
    assert.match(failure(inferLayer('batchnorm', { axis: 0 }, [10]), 'E-ARG').message, /axis 0 is not a feature axis/);
  });
});
