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
