/**
 * The three models the training section compares, described once for every
 * column: mlc trains the spec file, the hand-written tfjs harness and the
 * PyTorch script rebuild the same architecture and optimizer by name.
 */

export type ModelName = 'mlp' | 'cnn' | 'lenet5';

export interface BenchModel {
  name: ModelName;
  title: string;
  spec: string;
  /** Batch size and optimizer as in the spec (the spec's fit batch, or Keras's default 32). */
  batch: number;
  /** Input shape per sample: [784] or [28, 28, 1]. */
  input: number[];
  /** Label encoding the spec's loss expects. */
  labels: 'one-hot' | 'sparse';
  /**
   * The cpu backend's smaller run: its naive Conv2DBackpropFilter makes the
   * CNN train at well under 1 sample/s, so that column takes a tiny batch.
   */
  cpu: { batch: number; samples: number };
}

export const BENCH_MODELS: readonly BenchModel[] = [
  {
    name: 'mlp', title: 'MLP 784-512-10', spec: 'specs/mnist-mlp.model', batch: 128,
    input: [784], labels: 'one-hot', cpu: { batch: 128, samples: 512 },
  },
  {
    name: 'cnn', title: 'CNN (tutorial)', spec: 'specs/mnist-cnn.model', batch: 128,
    input: [28, 28, 1], labels: 'one-hot', cpu: { batch: 4, samples: 4 },
  },
  {
    name: 'lenet5', title: 'LeNet-5', spec: 'specs/lenet5.model', batch: 32,
    input: [28, 28, 1], labels: 'sparse', cpu: { batch: 32, samples: 256 },
  },
];

export function benchModel(name: string): BenchModel {
  const m = BENCH_MODELS.find((x) => x.name === name);
  if (!m) throw new Error(`unknown bench model "${name}"; choose ${BENCH_MODELS.map((x) => x.name).join(', ')}`);
  return m;
}
