/**
 * Keras's adapt() before training: every `normalization` layer given no mean
 * and variance takes them from the training samples (not the validation
 * split), through mlc's own layer's adaptNormalization (which the emitted
 * train() calls too).
 */
import type { IR } from '../ir/types.js';
import { adaptNormalization } from './custom-layers/index.js';
import type { MultiSplit } from './split-tensors.js';
import type { LayersModel, TF } from './tf.js';

/** Whether the model has a layer that learns its constants from the data before training. */
export function adaptsToData(ir: IR): boolean {
  return ir.nodes.some((n) => n.kind === 'normalization' && typeof n.args.mean !== 'number');
}

/** Adapts the model's layers to `split`'s inputs; returns the names of the layers adapted. */
export function adaptToData(tf: TF, model: LayersModel, ir: IR, split: MultiSplit): string[] {
  if (!adaptsToData(ir) || split.count === 0) return [];
  const xs = split.xs.map((a) => tf.tensor(a.values, a.shape, a.dtype));
  try {
    return adaptNormalization(tf, model, xs);
  } finally {
    for (const x of xs) x.dispose();
  }
}
