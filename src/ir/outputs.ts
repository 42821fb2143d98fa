/**
 * A model's outputs with what training needs of each: its name, loss, loss
 * weight and metrics, resolved from the compile section's single values or
 * per-output maps. Every consumer (compile checks, runtime, emitters) reads
 * the outputs through here.
 */
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
