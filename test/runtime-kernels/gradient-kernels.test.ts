/**
 * mlc's wasm gradient kernels against the cpu backend's, on random shapes,
 * strides, paddings, dilations and data formats, with leak checks.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { TfModule } from '../../src/runtime/backend/select.js';
import { WASM_KERNELS, registerWasmKernels } from '../../src/runtime/kernels/index.js';
import { assertClose, randomInt, randomValues, runKernel, seeded, wasmTf, type HostTensor } from './helpers.js';

const RTOL = 1e-4;
let tf: TfModule;
before(async () => {
  tf = await wasmTf();
});

type Explicit = [[number, number], [number, number], [number, number], [number, number]];
type Pad = 'valid' | 'same' | number | Explicit;

function randomPad(rand: () => number, nchw: boolean): Pad {
  const kind = randomInt(rand, 0, 3);
  if (kind === 0) return 'valid';
  if (kind === 1) return 'same';
  if (kind === 2) return randomInt(rand, 0, 2);
  const p = (): [number, number] => [randomInt(rand, 0, 2), randomInt(rand, 0, 2)];
  return nchw ? [[0, 0], [0, 0], p(), p()] : [[0, 0], p(), p(), [0, 0]];
}

interface ConvCase {
  label: string;
  x: HostTensor;
  dy: HostTensor;
  filter: HostTensor;
  attrs: Record<string, unknown>;
  xShape: number[];
  filterShape: number[];
}

/** A random valid conv (depthwise when multiplier is set), its input, filter and an output gradient. */
function randomConvCase(rand: () => number, index: number, depthwise: boolean): ConvCase {
  for (;;) {
    const nchw = !depthwise && index % 5 === 4;
    const batch = randomInt(rand, 1, 3);
    const inH = randomInt(rand, 3, 11);
    const inW = randomInt(rand, 3, 11);
    const inC = randomInt(rand, 1, 4);
    const last = depthwise ? randomInt(rand, 1, 3) : randomInt(rand, 1, 5);
    const fh = randomInt(rand, 1, 4);
    const fw = randomInt(rand, 1, 4);
    // Depthwise kernels take dilations; either strides or dilations must be 1.
    const dilated = depthwise && rand() < 0.4;
    const strides: [number, number] = dilated ? [1, 1] : [randomInt(rand, 1, 3), randomInt(rand, 1, 3)];
    const dilations: [number, number] = dilated ? [randomInt(rand, 1, 3), randomInt(rand, 1, 3)] : [1, 1];
    let pad = randomPad(rand, nchw);
    if (typeof pad === 'number' && (strides[0] > 1 || strides[1] > 1)) pad = 'valid';
    const xShape = nchw ? [batch, inC, inH, inW] : [batch, inH, inW, inC];
    const filterShape = [fh, fw, inC, last];
    // The output gradient has the shape tfjs's forward op gives its output.
    const info = tf.backend_util.computeConv2DInfo(
      xShape as [number, number, number, number],
      filterShape as [number, number, number, number],
      strides,
      dilations,
      pad,
      typeof pad === 'number' ? 'floor' : undefined,
      depthwise,
      nchw ? 'channelsFirst' : 'channelsLast',
    );
    const { outHeight: outH, outWidth: outW } = info;
    if (!(outH >= 1 && outW >= 1)) continue;
    const outC = depthwise ? inC * last : last;
    const dyShape = nchw ? [batch, outC, outH, outW] : [batch, outH, outW, outC];
    const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
    const attrs: Record<string, unknown> = { strides, pad, dimRoundingMode: typeof pad === 'number' ? 'floor' : undefined };
    if (depthwise) attrs.dilations = dilations;
    else attrs.dataFormat = nchw ? 'NCHW' : 'NHWC';
    return {
      label: `#${index} x=${xShape} filter=${filterShape} strides=${strides} dilations=${dilations} pad=${JSON.stringify(pad)}${nchw ? ' NCHW' : ''}`,
      x: { values: randomValues(rand, size(xShape)), shape: xShape },
      dy: { values: randomValues(rand, size(dyShape)), shape: dyShape },
      filter: { values: randomValues(rand, size(filterShape)), shape: filterShape },
      attrs,
      xShape,
      filterShape,
    };
  }
}

async function compareOnBackends(kernel: string, inputs: Record<string, HostTensor>, attrs: Record<string, unknown>, label: string) {
  const expected = await runKernel(tf, 'cpu', kernel, inputs, attrs);
  const actual = await runKernel(tf, 'wasm', kernel, inputs, attrs);
  assert.deepEqual(actual.shape, expected.shape, `${kernel} ${label}: shape`);
  assertClose(actual.values, expected.values, RTOL, `${kernel} ${label}`);
}

const CASES = 40;

test('Conv2DBackpropFilter on wasm matches cpu', async () => {
  const rand = seeded(11);
  for (let i = 0; i < CASES; i++) {
    const c = randomConvCase(rand, i, false);
    await compareOnBackends('Conv2DBackpropFilter', { x: c.x, dy: c.dy }, { ...c.attrs, filterShape: c.filterShape }, c.label);
  }
});

test('Conv2DBackpropInput on wasm matches cpu', async () => {
  const rand = seeded(12);
  for (let i = 0; i < CASES; i++) {
    const c = randomConvCase(rand, i, false);
    await compareOnBackends('Conv2DBackpropInput', { dy: c.dy, filter: c.filter }, { ...c.attrs, inputShape: c.xShape }, c.label);
  }
});

/**
 * The cpu depthwise gradient kernels ignore dilations (tfjs never asks them
 * for any), so dilated cases are checked through an identity instead: a
 * dilated filter acts as the undilated filter with (dilation - 1) zeros
 * between taps, whose gradients the cpu kernels do compute.
 */
function spreadFilter(filter: HostTensor, dilations: [number, number]): HostTensor {
  const [fh, fw, c, m] = filter.shape as [number, number, number, number];
  const [dh, dw] = dilations;
  const eh = (fh - 1) * dh + 1;
  const ew = (fw - 1) * dw + 1;
  const out = new Float32Array(eh * ew * c * m);
  for (let p = 0; p < fh; p++)
    for (let q = 0; q < fw; q++)
      for (let k = 0; k < c * m; k++) out[(p * dh * ew + q * dw) * c * m + k] = filter.values[(p * fw + q) * c * m + k]!;
  return { values: out, shape: [eh, ew, c, m] };
}

function tapsOf(spread: Float32Array | Int32Array, shape: number[], dilations: [number, number]): Float32Array {
  const [fh, fw, c, m] = shape as [number, number, number, number];
  const [dh, dw] = dilations;
  const ew = (fw - 1) * dw + 1;
  const out = new Float32Array(fh * fw * c * m);
  for (let p = 0; p < fh; p++)
    for (let q = 0; q < fw; q++)
      for (let k = 0; k < c * m; k++) out[(p * fw + q) * c * m + k] = spread[(p * dh * ew + q * dw) * c * m + k]!;
  return out;
}

test('DepthwiseConv2dNativeBackpropFilter on wasm matches cpu', async () => {
  const rand = seeded(13);
  for (let i = 0; i < CASES; i++) {
    const c = randomConvCase(rand, i, true);
    const dilations = c.attrs.dilations as [number, number];
    if (dilations[0] === 1 && dilations[1] === 1) {
      await compareOnBackends('DepthwiseConv2dNativeBackpropFilter', { x: c.x, dy: c.dy }, { ...c.attrs, filterShape: c.filterShape }, c.label);
      continue;
    }
    const spreadShape = spreadFilter(c.filter, dilations).shape;
    const reference = await runKernel(tf, 'cpu', 'DepthwiseConv2dNativeBackpropFilter', { x: c.x, dy: c.dy }, { ...c.attrs, dilations: 1, filterShape: spreadShape });
    const actual = await runKernel(tf, 'wasm', 'DepthwiseConv2dNativeBackpropFilter', { x: c.x, dy: c.dy }, { ...c.attrs, filterShape: c.filterShape });
    assert.deepEqual(actual.shape, c.filterShape, c.label);
    assertClose(actual.values, tapsOf(reference.values, c.filterShape, dilations), RTOL, `DepthwiseConv2dNativeBackpropFilter ${c.label}`);
  }
});

test('DepthwiseConv2dNativeBackpropInput on wasm matches cpu', async () => {
  const rand = seeded(14);
  for (let i = 0; i < CASES; i++) {
    const c = randomConvCase(rand, i, true);
    const dilations = c.attrs.dilations as [number, number];
    const attrs = { ...c.attrs, inputShape: c.xShape };
    if (dilations[0] === 1 && dilations[1] === 1) {
      await compareOnBackends('DepthwiseConv2dNativeBackpropInput', { dy: c.dy, filter: c.filter }, attrs, c.label);
      continue;
    }
    const reference = await runKernel(tf, 'cpu', 'DepthwiseConv2dNativeBackpropInput', { dy: c.dy, filter: spreadFilter(c.filter, dilations) }, { ...attrs, dilations: 1 });
    const actual = await runKernel(tf, 'wasm', 'DepthwiseConv2dNativeBackpropInput', { dy: c.dy, filter: c.filter }, attrs);
    assert.deepEqual(actual.shape, c.xShape, c.label);
    assertClose(actual.values, reference.values, RTOL, `DepthwiseConv2dNativeBackpropInput ${c.label}`);
  }
});

test('UnsortedSegmentSum on wasm matches cpu, dropping out-of-range ids', async () => {
  const rand = seeded(15);
  for (let i = 0; i < 20; i++) {
    const numSegments = randomInt(rand, 1, 6);
    const idShape = i % 3 === 0 ? [randomInt(rand, 1, 4), randomInt(rand, 1, 4)] : [randomInt(rand, 1, 12)];
    const rowShape = i % 2 === 0 ? [randomInt(rand, 1, 5)] : [randomInt(rand, 1, 3), randomInt(rand, 1, 3)];
    const n = idShape.reduce((a, b) => a * b, 1);
    const ids = Int32Array.from({ length: n }, () => randomInt(rand, -1, numSegments));
    const shape = [...idShape, ...rowShape];
    const size = shape.reduce((a, b) => a * b, 1);
    const int = i % 4 === 1;
    const values = int ? Int32Array.from({ length: size }, () => randomInt(rand, -9, 9)) : randomValues(rand, size);
    const dtype = int ? 'int32' : 'float32';
    const label = `#${i} x=${shape} ids=${Array.from(ids)} segments=${numSegments}${int ? ' int32' : ''}`;
    // The cpu kernel handles 1-D ids only; n-D ids mean the same as the flattened ids.
    const flat = { x: { values, shape: [n, ...rowShape], dtype }, segmentIds: { values: ids, shape: [n], dtype } } as const;
    const reference = await runKernel(tf, 'cpu', 'UnsortedSegmentSum', { ...flat, segmentIds: { ...flat.segmentIds, dtype: 'int32' } }, { numSegments });
    const actual = await runKernel(
      tf,
      'wasm',
      'UnsortedSegmentSum',
      { x: { values, shape, dtype }, segmentIds: { values: ids, shape: idShape, dtype: 'int32' } },
      { numSegments },
    );
    assert.deepEqual(actual.shape, reference.shape, label);
    assert.equal(actual.values.constructor, int ? Int32Array : Float32Array, label);
    assertClose(actual.values, reference.values, RTOL, `UnsortedSegmentSum ${label}`);
  }
});

test('registerWasmKernels is idempotent and leaves mlc kernels registered', () => {
  registerWasmKernels();
  registerWasmKernels();
  for (const config of WASM_KERNELS) {
    assert.equal(tf.getKernel(config.kernelName, 'wasm')?.kernelFunc, config.kernelFunc, config.kernelName);
  }
});
