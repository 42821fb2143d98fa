/**
 * The inference driver: walks the nodes in order, hands each layer definition
 * its input shapes (batch dimension first, null) and dtypes, and accumulates
 * the per-node facts and the model's totals. It stops at the first failing
 * layer, because later layers have no input shape to work from.
 */
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { findLayer } from './layers/index.js';
import type { InferInput } from './layers/types.js';
import type { IR, ModelFacts, NodeFacts } from './types.js';

/** float32 everywhere: parameters and activations. */
export const BYTES_PER_VALUE = 4;

export function inferModel(ir: IR): { facts?: ModelFacts; diagnostics: Diagnostic[] } {
  const known = new Map<string, InferInput>();
  const inputShapes: ModelFacts['inputShapes'] = {};
  for (const input of ir.inputs) {
    const shape = [null, ...input.shape];
    inputShapes[input.id] = shape;
    known.set(input.id, { shape, dtype: input.dtype });
  }
  const nodes: NodeFacts[] = [];
  for (let i = 0; i < ir.nodes.length; i++) {
    const node = ir.nodes[i];
    const fail = (diagnostics: Diagnostic[]) => ({ diagnostics: withSkippedNote(diagnostics, ir.nodes.length - i - 1) });
    const def = findLayer(node.kind);
    if (!def) return fail([error('E-UNKNOWN-KIND', `unknown layer kind \`${node.kind}\``, node.span)]);
    const inputs = knownInputs(node.inputs, known);
    if (!inputs) {
      return fail([error('E-IR-DAG', `layer \`${node.name}\` has no known input to infer its shape from`, node.span)]);
    }
    let result;
    try {
      result = def.infer(node, inputs);
    } catch (e) {
      // A definition's bug must not surface as a stack trace to someone checking a spec.
      return fail([error('E-INTERNAL', `internal error while checking \`${node.name}\` (${node.kind}): ${(e as Error)?.message ?? String(e)}`, node.span, 'please report this with the spec that caused it')]);
    }
    if (!result.ok) return fail(result.diagnostics);
    known.set(node.id, { shape: result.outputShape, dtype: result.outputDtype ?? 'float32' });
    nodes.push({
      id: node.id,
      name: node.name,
      kerasClass: result.kerasClass ?? node.kerasClass,
      outputShape: result.outputShape,
      trainableParams: result.trainableParams,
      nonTrainableParams: result.nonTrainableParams,
      macs: result.macs,
      weights: result.weights,
    });
  }
  const sum = (f: (n: NodeFacts) => number) => nodes.reduce((acc, n) => acc + f(n), 0);
  const trainableParams = sum((n) => n.trainableParams);
  const nonTrainableParams = sum((n) => n.nonTrainableParams);
  const totalParams = trainableParams + nonTrainableParams;
  return {
    facts: {
      inputShapes,
      nodes,
      totalParams,
      trainableParams,
      nonTrainableParams,
      totalMacs: sum((n) => n.macs),
      paramBytes: totalParams * BYTES_PER_VALUE,
      // One sample: the batch dimension is left out, and an unknown (`?`) length counts as 1.
      activationBytes: sum((n) => n.outputShape.slice(1).reduce<number>((p, d) => p * (d ?? 1), 1)) * BYTES_PER_VALUE,
    },
    diagnostics: [],
  };
}

/** The shapes and dtypes a node consumes; undefined when it has no inputs or one is not known. */
function knownInputs(ids: readonly string[], known: ReadonlyMap<string, InferInput>): InferInput[] | undefined {
  if (ids.length === 0) return undefined;
  const inputs: InferInput[] = [];
  for (const id of ids) {
    const input = known.get(id);
    if (input === undefined) return undefined;
    inputs.push(input);
  }
  return inputs;
}

function withSkippedNote(diagnostics: Diagnostic[], skipped: number): Diagnostic[] {
  if (skipped === 0 || diagnostics.length === 0) return diagnostics;
  const [first, ...rest] = diagnostics;
  const note = { message: `the ${skipped === 1 ? 'layer' : `${skipped} layers`} after it ${skipped === 1 ? 'was' : 'were'} not checked` };
  return [{ ...first, related: [...(first.related ?? []), note] }, ...rest];
}
