/**
 * MACs per sample, counted as torchinfo does (products with weight matrices
 * only). Expected figures are worked out by hand in each comment.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ArgValue, Shape } from '../../src/ir/types.js';
import { inferLayer } from './helpers.js';

function macs(kind: string, args: Record<string, ArgValue>, input: Shape): number {
  const r = inferLayer(kind, args, input, kind === 'embedding' ? 'int32' : 'float32');
  assert.ok(r.ok);
  return r.macs;
}

test('dense: positions x inputs x units', () => {
  assert.equal(macs('dense', { units: 10 }, [784]), 784 * 10);
  assert.equal(macs('dense', { units: 8 }, [5, 16]), 5 * 16 * 8);
});

test('conv: output positions x kernel window x input channels x filters', () => {
  // LeNet's first layer: 6 filters 5x5 on 28x28x1 gives 24x24 outputs.
  assert.equal(macs('conv2d', { filters: 6, kernel_size: 5 }, [28, 28, 1]), 24 * 24 * 5 * 5 * 1 * 6);
  // Valid conv1d, kernel 3 on 20 steps: 18 outputs.
  assert.equal(macs('conv1d', { filters: 4, kernel_size: 3 }, [20, 2]), 18 * 3 * 2 * 4);
});

test('recurrent: steps x gates x units x (features + units)', () => {
  assert.equal(macs('simplernn', { units: 5 }, [10, 3]), 10 * 1 * 5 * (3 + 5));
  assert.equal(macs('lstm', { units: 12 }, [20, 16]), 20 * 4 * 12 * (16 + 12));
  assert.equal(macs('gru', { units: 4 }, [6, 2]), 6 * 3 * 4 * (2 + 4));
  // An unknown length counts one step.
  assert.equal(macs('lstm', { units: 12 }, [null, 16]), 4 * 12 * (16 + 12));
  // Both directions.
  assert.equal(macs('bidirectional', { layer: { kind: 'lstm', args: { units: 8 } } }, [10, 4]), 2 * 10 * 4 * 8 * (4 + 8));
});

test('layers without weight products count 0', () => {
  assert.equal(macs('maxpool2d', { pool_size: 2 }, [24, 24, 6]), 0);
  assert.equal(macs('globalavgpool', {}, [4, 4, 8]), 0);
  assert.equal(macs('batchnorm', {}, [8, 8, 16]), 0);
  assert.equal(macs('embedding', { input_dim: 100, output_dim: 8 }, [20]), 0);
  assert.equal(macs('flatten', {}, [4, 4, 8]), 0);
});
