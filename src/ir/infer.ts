/**
 * The inference driver: walks the nodes in order, hands each layer definition
 * its input shapes (batch dimension first, null) and dtypes, and accumulates
 * the per-node facts and the model's totals.
 *
 * It goes on past an error: a node whose own rule fails, or that the caller
 * marks as broken (its statement did not lower), has an unknown output, and so
 * has every node that consumes an unknown tensor, silently (the one mistake is
 * already reported). Every other node keeps its shape, so one mistake never
 * hides the rest of the model.
 */
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { findLayer } from '../layers/index.js';
import type { InferSuccess } from '../layers/result.js';
import type { InferInput } from '../layers/types.js';
import type { IR, IRNode, ModelFacts, NodeFacts } from './types.js';

/** float32 everywhere: parameters and activations. */
export const BYTES_PER_VALUE = 4;

/**
 * `broken`: ids of nodes whose statement was reported already (a lowering or
 * schema error); their outputs are unknown and they are not inferred.
 */
export function inferModel(ir: IR, broken: ReadonlySet<string> = new Set()): { facts: ModelFacts; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const known = new Map<string, InferInput>();
  const unknown = new Set<string>(broken);
  const inputShapes: ModelFacts['inputShapes'] = {};
  for (const input of ir.inputs) {
    const shape = [null, ...input.shape];
    inputShapes[input.id] = shape;
    known.set(input.id, { shape, dtype: input.dtype, origin: { name: input.name, span: input.span } });
  }
  const nodes: NodeFacts[] = [];
  // Which failed node each unknown one follows from, and the first diagnostic of each failure.
  const causeOf = new Map<string, string>();
  const failures = new Map<string, Diagnostic>();
  for (const node of ir.nodes) {
    if (unknown.has(node.id)) continue;
    const unknownInput = node.inputs.find((id) => unknown.has(id));
    if (unknownInput !== undefined) {
      unknown.add(node.id);
      causeOf.set(node.id, causeOf.get(unknownInput) ?? unknownInput);
      continue;
    }
    const inferred = inferNode(node, known);
    if (!inferred.ok) {
      noteCalls(inferred.diagnostics, node);
      diagnostics.push(...inferred.diagnostics);
      if (inferred.diagnostics.length > 0) failures.set(node.id, inferred.diagnostics[0]);
      unknown.add(node.id);
      continue;
    }
    const result = inferred.result;
    if (result.warnings) diagnostics.push(...result.warnings);
    known.set(node.id, { shape: result.outputShape, dtype: result.outputDtype ?? 'float32', origin: { name: node.name, span: node.span } });
    nodes.push({
      id: node.id,
      name: node.name,
      kerasClass: node.kerasClass,
      outputShape: result.outputShape,
      trainableParams: result.trainableParams,
      nonTrainableParams: result.nonTrainableParams,
      macs: result.macs,
      weights: result.weights,
    });
  }
  noteDependents(failures, causeOf);
  const sum = (f: (n: NodeFacts) => number) => nodes.reduce((acc, n) => acc + f(n), 0);
  const trainableParams = sum((n) => n.trainableParams);
  const nonTrainableParams = sum((n) => n.nonTrainableParams);
  const totalParams = trainableParams + nonTrainableParams;
  return {
    facts: {
      inputShapes,
      nodes,
      unknown: ir.nodes.filter((n) => unknown.has(n.id)).map((n) => n.id),
      totalParams,
      trainableParams,
      nonTrainableParams,
      totalMacs: sum((n) => n.macs),
      paramBytes: totalParams * BYTES_PER_VALUE,
      // One sample: the batch dimension is left out, and an unknown (`?`) length counts as 1.
      activationBytes: sum((n) => n.outputShape.slice(1).reduce<number>((p, d) => p * (d ?? 1), 1)) * BYTES_PER_VALUE,
    },
    diagnostics,
  };
}

type NodeInference = { ok: true; result: InferSuccess } | { ok: false; diagnostics: Diagnostic[] };

/** One node whose inputs are all known (or missing, which an IR file can get wrong). */
function inferNode(node: IRNode, known: ReadonlyMap<string, InferInput>): NodeInference {
  const def = findLayer(node.kind);
  if (!def) return { ok: false, diagnostics: [error('E-UNKNOWN-KIND', `unknown layer kind \`${node.kind}\``, node.span)] };
  const inputs: InferInput[] = [];
  for (const id of node.inputs) {
    const input = known.get(id);
    if (input === undefined) {
      return { ok: false, diagnostics: [error('E-IR-DAG', `layer \`${node.name}\` consumes \`${id}\`, which is not an input or an earlier layer`, node.span)] };
    }
    inputs.push(input);
  }
  const arityError = checkArity(node, def.arity, inputs.length);
  if (arityError) return { ok: false, diagnostics: [arityError] };
  try {
    const result = def.infer(node, inputs);
    if (!result.ok) return { ok: false, diagnostics: result.diagnostics };
    const flat = orthogonalOnFlatWeight(node, result);
    if (flat) return { ok: false, diagnostics: [flat] };
    return { ok: true, result: node.args.trainable === false ? frozen(result) : result };
  } catch (e) {
    // A definition's bug must not surface as a stack trace to someone checking a spec.
    return { ok: false, diagnostics: [error('E-INTERNAL', `internal error while checking \`${node.name}\` (${node.kind}): ${(e as Error)?.message ?? String(e)}`, node.span, 'please report this with the spec that caused it')] };
  }
}

/**
 * Keras's Orthogonal initializer refuses a weight of fewer than 2 dimensions
 * when the layer is built ("The tensor to initialize must be at least
 * two-dimensional"), and so does TensorFlow.js: a bias cannot start
 * orthogonal. `X_initializer` starts the weights named X or X_kernel (a
 * bidirectional layer's under forward_NAME/ and backward_NAME/).
 */
function orthogonalOnFlatWeight(node: IRNode, result: InferSuccess): Diagnostic | undefined {
  const wrapped = node.args.layer as { args?: IRNode['args'] } | undefined;
  const args = { ...(typeof wrapped === 'object' && wrapped !== null && !Array.isArray(wrapped) ? wrapped.args : {}), ...node.args };
  for (const [key, value] of Object.entries(args)) {
    const starts = /^(\w+)_initializer$/.exec(key)?.[1];
    if (starts === undefined || value !== 'orthogonal') continue;
    const flat = result.weights.find((w) => {
      const name = w.name.slice(w.name.lastIndexOf('/') + 1);
      return (name === starts || name === `${starts}_kernel`) && w.shape.length < 2;
    });
    if (flat) {
      return error('E-ARG', `\`${key}=orthogonal\` cannot start the ${starts} of \`${node.name}\`, of shape (${flat.shape.join(', ')},): an orthogonal matrix needs a weight of 2 or more dimensions`,
        node.argSpans?.[key] ?? node.argSpans?.[`layer/args/${key}`] ?? node.span, `use another initializer for the ${starts}, e.g. \`zeros\` (Keras's default)`);
    }
  }
  return undefined;
}

/** A frozen layer (`trainable=false`): as in Keras, all its weights count as non-trainable. */
function frozen(result: InferSuccess): InferSuccess {
  return {
    ...result,
    trainableParams: 0,
    nonTrainableParams: result.trainableParams + result.nonTrainableParams,
    weights: result.weights.map((w) => ({ ...w, trainable: false })),
  };
}

/** A one-input kind takes exactly one tensor; a merge takes two or more. */
function checkArity(node: IRNode, arity: 1 | 'n', count: number): Diagnostic | undefined {
  if (arity === 1 && count !== 1) {
    return error('E-ARITY', `${node.kind} \`${node.name}\` takes one input tensor; it is given ${count}`, node.span,
      count > 1 ? 'join the tensors first with a merge such as `concat [a, b]` or `add [a, b]`' : 'give it the tensor it reads');
  }
  if (arity === 'n' && count < 2) {
    return error('E-ARITY', `${node.kind} \`${node.name}\` merges two or more tensors; it is given ${count}`, node.span,
      `list the tensors to merge: \`${node.kind} [a, b]\``);
  }
  return undefined;
}

/** A mistake inside a block also points at the calls that led to it, innermost first. */
function noteCalls(found: readonly Diagnostic[], node: IRNode): void {
  if (!node.callPath) return;
  const notes = [...node.callPath].reverse().map((c) => ({ message: `in block \`${c.block}\`, called here (as \`${c.name}\`)`, span: c.span }));
  for (const d of found) d.related = [...(d.related ?? []), ...notes];
}

/** "the 2 layers after it depend on it, so their shapes are unknown": said once, on the failure they follow from. */
function noteDependents(failures: ReadonlyMap<string, Diagnostic>, causeOf: ReadonlyMap<string, string>): void {
  const count = new Map<string, number>();
  for (const cause of causeOf.values()) count.set(cause, (count.get(cause) ?? 0) + 1);
  for (const [id, d] of failures) {
    const n = count.get(id);
    if (!n) continue;
    const message = `the ${n === 1 ? 'layer' : `${n} layers`} after it depend${n === 1 ? 's' : ''} on its output, so ${n === 1 ? 'its shape is' : 'their shapes are'} unknown until it is fixed`;
    d.related = [...(d.related ?? []), { message }];
  }
}
