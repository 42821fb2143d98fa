/**
 * What train, evaluate and predict share: loading TensorFlow.js on the chosen
 * backend, describing the model to the data loaders, and turning runtime
 * failures into the CLI's one-line errors.
 */
import type { IR, ModelFacts } from '../ir/types.js';
import type { DataRequest, LabelMode } from './data/types.js';
import type { TF } from './tf.js';

export type BackendName = 'auto' | 'node-gpu' | 'node' | 'wasm' | 'cpu';

export interface LoadedBackend {
  name: string;
  tf: TF;
}

let announced = false;

/**
 * Loads TensorFlow.js on the requested backend (see ./backend/select.ts) and
 * says which, once per process, on stderr: the output of train, evaluate and
 * predict is their results. Why faster backends were passed over is a long
 * line most runs do not need; `verbose` adds it. (A native backend asked for
 * by name that cannot load is an error that gives the reason.) TensorFlow.js's
 * own console messages are kept out of the output, or shown with `verbose`.
 */
export async function loadBackend(requested: BackendName, opts: { verbose?: boolean } = {}): Promise<LoadedBackend> {
  const { quietLibraryConsole } = await import('./backend/library-console.js');
  quietLibraryConsole(opts);
  const { selectBackend } = await import('./backend/select.js');
  const selected = await selectBackend(requested);
  if (!announced) {
    announced = true;
    const why = opts.verbose && selected.skipped ? ` — ${selected.skipped}` : '';
    process.stderr.write(`${selected.note}${why}\n`);
  }
  return { name: selected.name, tf: selected.tf as unknown as TF };
}

/** How the data loaders should encode labels for a loss (Keras's conventions). */
export function labelModeFor(loss: string): LabelMode {
  if (loss === 'sparse_categorical_crossentropy') return 'sparse';
  if (loss === 'binary_crossentropy' || loss === 'hinge' || loss === 'squared_hinge') return 'binary';
  if (loss === 'categorical_crossentropy' || loss === 'categorical_hinge' || loss === 'kl_divergence') return 'onehot';
  return 'regression';
}

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
