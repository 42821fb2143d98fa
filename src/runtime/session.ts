/**
 * What train, evaluate and predict share: loading TensorFlow.js on the chosen
 * backend, describing the model to the data loaders, and turning runtime
 * failures into the CLI's one-line errors.
 */
import type { IR, ModelFacts } from '../ir/types.js';
import { labelModeFor } from '../ir/training.js';
import type { DataRequest } from './data/types.js';
import type { TF } from './tf.js';

/** What `--backend` accepts: the names are stated once, in ./backend/types.ts. */
export type { BackendRequest as BackendName } from './backend/types.js';
import type { BackendRequest as BackendName } from './backend/types.js';

export interface LoadedBackend {
  name: string;
  tf: TF;
  note: string;
}

/** Loads TensorFlow.js on the requested backend (see ./backend/select.ts); `note` is the line to print. */
export async function loadBackend(requested: BackendName): Promise<LoadedBackend> {
  const { selectBackend } = await import('./backend/select.js');
  return (await selectBackend(requested)) as unknown as LoadedBackend;
}

export { labelModeFor } from '../ir/training.js';

/** The model's single input; the runtime trains single-input models. */
export function onlyInput(ir: IR): IR['inputs'][number] {
  if (ir.inputs.length !== 1) throw new RuntimeUsageError(`the model has ${ir.inputs.length} inputs; training and prediction support one`);
  return ir.inputs[0];
}

/** The last dimension of the model's output (the number of classes for a classifier). */
export function outputUnits(ir: IR, facts: ModelFacts): number {
  const out = facts.nodes.find((n) => n.id === ir.outputs[0]) ?? facts.nodes[facts.nodes.length - 1];
  return out.outputShape[out.outputShape.length - 1] ?? 1;
}

/** Describes the model to the data loaders. */
export function dataRequestFor(ir: IR, units: number, spec: string, extra: { labelColumn?: string; limit?: number } = {}): DataRequest {
  const input = onlyInput(ir);
  const first = ir.nodes.find((n) => n.inputs.includes(input.id));
  const inputDim = first?.kind === 'embedding' ? first.args.input_dim : undefined;
  return {
    spec,
    inputShape: input.shape,
    inputDtype: input.dtype,
    outputUnits: units,
    labelMode: labelModeFor(ir.compile?.loss ?? 'mse'),
    labelColumn: extra.labelColumn,
    limit: extra.limit,
    maxTokenId: typeof inputDim === 'number' ? inputDim - 1 : undefined,
  };
}

/** A problem with how a command was used (not with the spec); printed as one line. */
export class RuntimeUsageError extends Error {}
