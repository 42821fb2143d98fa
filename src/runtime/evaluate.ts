/** Loss and metrics of a model over a split, batched, read from the device once at the end. */
import { batchSums, scoresFrom, sumsWidth, type Objective, type Scores } from './objective.js';
import type { SplitTensors } from './split-tensors.js';
import type { LayersModel, Tensor, TF } from './tf.js';


export async function evaluateTensors(tf: TF, model: LayersModel, objective: Objective, split: SplitTensors, batchSize: number): Promise<Scores> {
  let total: Tensor = tf.zeros([sumsWidth(objective)]);
  for (let start = 0; start < split.count; start += batchSize) {
    const size = Math.min(batchSize, split.count - start);
    const next = tf.tidy(() => {
      const xb = split.x.slice(start, size);
      const yb = split.y.slice(start, size);
      const pred = model.apply(xb, { training: false }) as Tensor;
      return total.add(batchSums(tf, objective, yb, pred));
    });
    total.dispose();
    total = next;
  }
  const sums = await total.data();
  total.dispose();
  return scoresFrom(objective, sums, split.count);
}
