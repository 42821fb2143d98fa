/** Shared by the runtime tests: TensorFlow.js on the cpu backend (via the backend selection), hand-written IRs, synthetic data. */
import { fromSplit, type MultiSplit } from '../../src/runtime/split-tensors.js';
import type { IR, IRNode, IRCompile } from '../../src/ir/types.js';
import type { TF } from '../../src/runtime/tf.js';

let loaded: TF | undefined;

export async function testTf(): Promise<TF> {
  if (loaded) return loaded;
  // The cpu backend: exact, deterministic and quick for the small models of these tests.
  const { selectBackend } = await import('../../src/runtime/backend/select.js');
  loaded = (await selectBackend('cpu')).tf as unknown as TF;
  return loaded;
}

/** A sequential IR over the given layers (id = name). */
export function chainIR(name: string, input: number[], dtype: 'float32' | 'int32', layers: Omit<IRNode, 'id' | 'inputs'>[], compile?: IRCompile): IR {
  let prev = 'input';
  const nodes = layers.map((l) => {
    const node: IRNode = { ...l, id: l.name, inputs: [prev] };
    prev = l.name;
    return node;
  });
  return { irVersion: 1, name, inputs: [{ id: 'input', name: 'input_layer', shape: input, dtype }], nodes, outputs: [prev], compile };
}

export const dense = (name: string, units: number, activation = 'linear'): Omit<IRNode, 'id' | 'inputs'> =>
  ({ kind: 'dense', kerasClass: 'Dense', name, args: { units, activation, use_bias: true } });

export function compileWith(loss: string, optimizer: string, args: Record<string, number>, metrics: string[] = ['accuracy']): IRCompile {
  return { loss, optimizer: { name: optimizer, args }, metrics };
}

/** Two Gaussian blobs per class in `features` dimensions: learnable in a few epochs. */
export function blobs(count: number, features: number, classes: number, seed = 1): MultiSplit {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const x = new Float32Array(count * features);
  const y = new Float32Array(count * classes);
  for (let i = 0; i < count; i++) {
    const c = i % classes;
    for (let f = 0; f < features; f++) x[i * features + f] = (f % classes === c ? 1.5 : 0) + (rnd() - 0.5);
    y[i * classes + c] = 1;
  }
  return fromSplit({ x, xShape: [count, features], y, yShape: [count, classes], count }, 'float32');
}
