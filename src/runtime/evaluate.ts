/** Loss and metrics of a model over a split, batched, read from the device once at the end. */
import { batchSums, scoresFrom, sumsWidth, type Objective, type Scores } from './objective.js';
import type { SplitTensors } from './split-tensors.js';
import type { LayersModel, Tensor, TF } from './tf.js';

/** The model's outputs as a list, whether it has one or several. */
export function applyModel(model: LayersModel, xs: Tensor[], training: boolean): Tensor[] {
  const out = model.apply(xs.length === 1 ? xs[0] : xs, { training }) as Tensor | Tensor[];
  return Array.isArray(out) ? out : [out];
}

export async function evaluateTensors(tf: TF, model: LayersModel, objective: Objective, split: SplitTensors, batchSize: number): Promise<Scores> {
  let total: Tensor = tf.zeros([sumsWidth(objective)]);
  for (let start = 0; start < split.count; start += batchSize) {
    const size = Math.min(batchSize, split.count - start);
    const next = tf.tidy(() => {
      const xb = split.xs.map((x) => x.slice(start, size));
      const yb = split.ys.map((y) => y.slice(start, size));
      return total.add(batchSums(tf, objective, yb, applyModel(model, xb, false)));
    });
    total.dispose();
    total = next;
  }
  const sums = await total.data();
  total.dispose();
  return scoresFrom(objective, sums, split.count);
}
