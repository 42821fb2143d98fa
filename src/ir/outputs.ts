/**
 * A model's outputs with what training needs of each: its name, loss, loss
 * weight and metrics, resolved from the compile section's single values or
 * per-output maps. Every consumer (compile checks, runtime, emitters) reads
 * the outputs through here.
 */
import { error, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../runtime/data/suggest.js';
import type { ArgValue, IR, IRCompile, PerOutput } from './types.js';

export interface OutputSpec {
  /** The IR node (or input) id. */
  id: string;
  /** The output's name (IR.outputNames, else the layer's name). */
  name: string;
  loss: string;
  /** The loss's call arguments (`from_logits`), when it was called with any. */
  lossArgs?: Record<string, ArgValue>;
  weight: number;
  metrics: string[];
}

/** Each output's name, in the order of IR.outputs. */
export function outputNames(ir: IR): string[] {
  const layerNames = new Map<string, string>([...ir.inputs.map((i) => [i.id, i.name] as const), ...ir.nodes.map((n) => [n.id, n.name] as const)]);
  return ir.outputs.map((id, i) => ir.outputNames?.[i] ?? layerNames.get(id) ?? id);
}

/**
 * What is wrong with the keys of a compile map (`loss`, `metrics`,
 * `loss_weights`) keyed by output names: keys that name no output, and, for
 * `loss` (`complete`), outputs left without an entry. Checked here for
 * compiled sources and IR files alike.
 */
export function outputMapProblems(
  option: string, keys: readonly { name: string; span?: Span }[], outputs: readonly string[], complete: boolean, mapSpan: Span | undefined,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const key of keys) {
    if (outputs.includes(key.name)) continue;
    out.push(error('E-UNKNOWN-OUTPUT', `compile \`${option}\`: \`${key.name}\` is not an output of the model`, key.span ?? mapSpan,
      didYouMean(key.name, outputs, 'an output:')));
  }
  if (complete) {
    for (const name of outputs.filter((n) => !keys.some((k) => k.name === n))) {
      out.push(error('E-MISSING-ARG', `compile \`${option}\` has no entry for the output \`${name}\``, mapSpan,
        `add \`${name}: ...\` to the map, or give one ${option} for every output`));
    }
  }
  return out;
}

export function isPerOutputMap<T>(v: PerOutput<T>): v is Record<string, T> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function forOutput<T>(v: PerOutput<T>, name: string, fallback: T): T {
  return isPerOutputMap(v) ? (v[name] ?? fallback) : v;
}

/** The outputs with their losses, weights and metrics; undefined without a compile section. */
export function outputSpecs(ir: IR, compile: IRCompile | undefined = ir.compile): OutputSpec[] | undefined {
  if (!compile) return undefined;
  return outputNames(ir).map((name, i) => {
    const spec: OutputSpec = {
      id: ir.outputs[i],
      name,
      loss: forOutput(compile.loss, name, 'mse'),
      weight: compile.loss_weights?.[name] ?? 1,
      metrics: forOutput(compile.metrics, name, []),
    };
    // With a loss map, lossArgs is keyed by output name too.
    const args = isPerOutputMap(compile.loss) ? compile.lossArgs?.[name] : compile.lossArgs;
    if (args && typeof args === 'object' && !Array.isArray(args)) spec.lossArgs = args as Record<string, ArgValue>;
    return spec;
  });
}

/** Whether an output's loss takes raw scores (logits) rather than probabilities. */
export function fromLogits(output: OutputSpec): boolean {
  return output.lossArgs?.from_logits === true;
}

/** The loss of a single-output model (or of the first output), for what only single-output models do. */
export function firstLoss(ir: IR): string {
  return outputSpecs(ir)?.[0]?.loss ?? 'mse';
}
