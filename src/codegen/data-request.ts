/**
 * What the data loaders (src/runtime/data) must know about a model, worked
 * out once at emit time by the runtime's own functions (so `mlc train` and
 * the emitted code encode labels alike) and printed into the module as a constant.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { IR, ModelFacts } from '../ir/types.js';
import type { DataRequest } from '../runtime/data/index.js';
import { dataRequestFor, outputShapesOf } from '../runtime/session.js';
import { unsupported } from './diagnostics.js';

/** The request without what each run chooses (the data source, a limit, a label column). */
export type ModelDataRequest = Omit<DataRequest, 'spec' | 'limit' | 'labelColumn' | 'json'>;

/** The request for a one-input, one-output model, or a diagnostic saying why the emitted loaders cannot feed it. */
export function modelDataRequest(ir: IR, facts: ModelFacts): { request?: ModelDataRequest; diagnostics: Diagnostic[] } {
  if (ir.inputs.length !== 1 || ir.outputs.length !== 1) {
    return {
      diagnostics: [unsupported(`the emitted training code feeds one input and one output; this model has ${ir.inputs.length} and ${ir.outputs.length}`,
        undefined, 'emit a model with a single `input` line and a single output layer')],
    };
  }
  const [outShape] = outputShapesOf(ir, facts);
  const full = dataRequestFor(ir, outShape[outShape.length - 1] ?? 1, '');
  const request: ModelDataRequest = {
    inputShape: full.inputShape,
    inputDtype: full.inputDtype,
    outputUnits: full.outputUnits,
    labelMode: full.labelMode,
    ...(full.maxTokenId === undefined ? {} : { maxTokenId: full.maxTokenId }),
  };
  return { request, diagnostics: [] };
}

/**
 * Whether the emitted program can train the model against its input (an
 * autoencoder, `mlc train --reconstruct`): the output has the float input's
 * shape. `by-default` when nothing else could feed it (an output of rank > 1
 * takes no per-sample label), `on-request` otherwise; undefined when it cannot.
 */
export function reconstruction(ir: IR, facts: ModelFacts): 'by-default' | 'on-request' | undefined {
  if (ir.inputs.length !== 1 || ir.outputs.length !== 1 || ir.inputs[0].dtype !== 'float32') return undefined;
  const [outShape] = outputShapesOf(ir, facts);
  const inShape = ir.inputs[0].shape;
  if (inShape.includes(null) || outShape.join('x') !== inShape.join('x')) return undefined;
  return outShape.length > 1 ? 'by-default' : 'on-request';
}
