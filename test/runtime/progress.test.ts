/** The training progress bar fits the terminal, dropping whole fields, least important first. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barLine, type BarState } from '../../src/runtime/progress.js';

const state: BarState = {
  epoch: 1, epochs: 2, batch: 31, batches: 63,
  scores: { loss: 0.659, accuracy: 0.8009 }, samplesPerSec: 272.4, eta: 83,
};

test('a wide terminal shows every field', () => {
  const line = barLine(state, 200);
  assert.match(line, /^epoch 1\/2 [█░]{24} 31\/63 · loss 0\.6590 · accuracy 0\.8009 · 272 samples\/s · ETA 1m 23s$/);
});

test('at 80 columns the line fits, ETA shows, and samples/s is dropped whole, never cut to "272 s"', () => {
  const line = barLine(state, 79);
  assert.ok(line.length <= 79, `${line.length}: ${line}`);
  assert.match(line, /· loss 0\.6590 · accuracy 0\.8009 · ETA 1m 23s$/);
  assert.doesNotMatch(line, /samples/);
});

test('every width keeps the epoch and batch count; no field is ever cut', () => {
  const fields = /^epoch 1\/2( [█░]+)? 31\/63( · loss 0\.6590)?( · accuracy 0\.8009)?( · 272 samples\/s)?( · ETA 1m 23s)?$/;
  let previous = Infinity;
  for (let width = 200; width >= 16; width--) {
    const line = barLine(state, width);
    assert.ok(line.length <= width, `${width}: ${line}`);
    assert.match(line, fields, `${width}: ${line}`);
    const shown = line.split(' · ').length;
    assert.ok(shown <= previous, `fields come back as the width shrinks at ${width}`);
    previous = shown;
  }
  // Drop order: samples/s, accuracy, the bar, loss, then ETA.
  assert.match(barLine(state, 75), /^epoch 1\/2 [█░]{8,} 31\/63 · loss 0\.6590 · accuracy 0\.8009 · ETA 1m 23s$/);
  assert.match(barLine(state, 61), /^epoch 1\/2 [█░]{8,} 31\/63 · loss 0\.6590 · ETA 1m 23s$/);
  assert.match(barLine(state, 45), /^epoch 1\/2 31\/63 · loss 0\.6590 · ETA 1m 23s$/);
  assert.match(barLine(state, 30), /^epoch 1\/2 31\/63 · ETA 1m 23s$/);
});

test('before the first batch the ETA is unknown', () => {
  assert.match(barLine({ ...state, batch: 0, scores: {}, samplesPerSec: undefined, eta: undefined }, 79), /^epoch 1\/2 [█░]+ 0\/63 · ETA -$/);
});
