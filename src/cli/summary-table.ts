/**
 * `mlc summary`: Keras's model.summary() table (Layer (type), Output Shape,
 * Param #, totals) plus what torchinfo adds: MACs per layer and memory.
 */
import { formatShape } from '../layers/index.js';
import type { IR, ModelFacts, Shape } from '../ir/types.js';

/**
 * The object `mlc summary --json` prints. The v1 fields are fixed by DSL.md;
 * graph models add, per layer, the layers it reads (`inbound`), and the
 * model's `inputs` and `outputs`.
 */
export interface SummaryJson {
  name: string;
  layers: { name: string; type: string; outputShape: Shape; params: number; inbound?: string[] }[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  inputs?: { name: string; shape: Shape; dtype: string }[];
  outputs?: string[];
}

/** A model that is not a plain stack: several inputs or outputs, or a layer that reads anything but the one before it. */
export function isGraph(ir: IR): boolean {
  if (ir.inputs.length !== 1 || ir.outputs.length !== 1) return true;
  return ir.nodes.some((n, i) => n.inputs.length !== 1 || n.inputs[0] !== (i === 0 ? ir.inputs[0].id : ir.nodes[i - 1].id));
}

/** Layer (and input) names by id, for the layers a node reads. */
function namesById(ir: IR): Map<string, string> {
  return new Map([...ir.inputs.map((i) => [i.id, i.name] as const), ...ir.nodes.map((n) => [n.id, n.name] as const)]);
}

export function summaryJson(ir: IR, facts: ModelFacts): SummaryJson {
  const graph = isGraph(ir);
  const names = namesById(ir);
  const inputsOf = new Map(ir.nodes.map((n) => [n.id, n.inputs]));
  const out: SummaryJson = {
    name: ir.name,
    layers: facts.nodes.map((n) => ({
      name: n.name,
      type: n.kerasClass,
      outputShape: n.outputShape,
      params: n.trainableParams + n.nonTrainableParams,
      ...(graph ? { inbound: (inputsOf.get(n.id) ?? []).map((id) => names.get(id) ?? id) } : {}),
    })),
    totalParams: facts.totalParams,
    trainableParams: facts.trainableParams,
    nonTrainableParams: facts.nonTrainableParams,
  };
  if (graph) {
    out.inputs = ir.inputs.map((i) => ({ name: i.name, shape: [null, ...i.shape], dtype: i.dtype }));
    out.outputs = ir.outputs.map((id) => names.get(id) ?? id);
  }
  return out;
}

/** 44426 → "44,426", as Keras prints counts. */
export function groupThousands(n: number): string {
  // Not toLocaleString: loading ICU's number formatting costs ~10 ms per process.
  // From 1e21 on, String() writes an exponent; a whole number is written out in full through BigInt instead.
  const digits = Number.isInteger(n) && Math.abs(n) >= 1e21 ? BigInt(n).toString() : String(n);
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Bytes in Keras's units: "173.54 KB" (1 KB = 1024 B). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(2)} ${units[unit]}`;
}

/** 4_230_000 → "4.23 M": MACs are read for their order of magnitude. */
export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  const units = [['G', 1e9], ['M', 1e6], ['K', 1e3]] as const;
  for (const [suffix, scale] of units) if (n >= scale) return `${(n / scale).toFixed(2)} ${suffix}`;
  return String(n);
}

export function summaryText(ir: IR, facts: ModelFacts): string {
  const header = ['Layer (type)', 'Output Shape', 'Param #', 'MACs'];
  // Every layer, in model order; after an error, a layer whose shape cannot be known shows `?`.
  // A graph model gets Keras's functional table: its inputs as rows, and what each layer is connected to.
  const graph = isGraph(ir);
  const names = namesById(ir);
  if (graph) header.push('Connected to');
  const byId = new Map(facts.nodes.map((n) => [n.id, n]));
  // Each row is its lines: a layer reading several tensors lists one per line, as Keras does.
  const rows: string[][][] = [];
  if (graph) for (const input of ir.inputs) rows.push([[`${input.name} (InputLayer)`, formatShape([null, ...input.shape]), '0', '0', '-']]);
  for (const node of ir.nodes) {
    const n = byId.get(node.id);
    const cells = n
      ? [`${n.name} (${n.kerasClass})`, formatShape(n.outputShape), groupThousands(n.trainableParams + n.nonTrainableParams), groupThousands(n.macs)]
      : [`${node.name} (${node.kerasClass})`, '?', '?', '?'];
    if (!graph) {
      rows.push([cells]);
      continue;
    }
    const inbound = node.inputs.map((id) => `${names.get(id) ?? id}[0][0]`);
    rows.push(inbound.map((c, k) => (k === 0 ? [...cells, c] : ['', '', '', '', c])));
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.flat().map((r) => r[i].length)));
  // Text columns are left-aligned, numbers right-aligned, as in Keras and torchinfo.
  const line = (cells: string[]) =>
    ' ' +
    cells.map((c, i) => (i < 2 || i > 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('   ').trimEnd();
  const width = widths.reduce((a, b) => a + b, 0) + 3 * (widths.length - 1) + 2;
  const thin = '_'.repeat(width);
  const thick = '='.repeat(width);
  const out = [`Model: "${ir.name}"`, thin, line(header), thick];
  rows.forEach((r, i) => {
    for (const cells of r) out.push(line(cells));
    if (i < rows.length - 1) out.push(' ' + '-'.repeat(width - 2));
  });
  out.push(thick);
  if (facts.unknown.length > 0) out.push(`Totals of the ${facts.nodes.length} layer${facts.nodes.length === 1 ? '' : 's'} whose shapes are known (${facts.unknown.length} unknown after the errors above):`);
  out.push(`Total params: ${groupThousands(facts.totalParams)} (${formatBytes(facts.totalParams * 4)})`);
  out.push(`Trainable params: ${groupThousands(facts.trainableParams)} (${formatBytes(facts.trainableParams * 4)})`);
  out.push(`Non-trainable params: ${groupThousands(facts.nonTrainableParams)} (${formatBytes(facts.nonTrainableParams * 4)})`);
  out.push(thin);
  out.push(`Total MACs: ${groupThousands(facts.totalMacs)} (${formatCount(facts.totalMacs)}) per sample, forward pass`);
  out.push(`Parameter memory: ${formatBytes(facts.paramBytes)} (float32)`);
  out.push(`Activation memory: ${formatBytes(facts.activationBytes)} per sample (float32 layer outputs, forward pass)`);
  out.push(`Estimated total for batch ${BATCH_FOR_ESTIMATE}: ${formatBytes(estimateTrainingBytes(facts, BATCH_FOR_ESTIMATE))} (weights, gradients, optimizer slots, activations)`);
  out.push(thin);
  return out.join('\n');
}

const BATCH_FOR_ESTIMATE = 32;

/**
 * A rough training-memory estimate, as torchinfo gives for inference: weights +
 * their gradients + two optimizer slots (Adam/RMSprop-style) + activations kept
 * for the backward pass. It is an order of magnitude, not a measurement.
 */
export function estimateTrainingBytes(facts: ModelFacts, batch: number): number {
  return facts.paramBytes * 4 + facts.activationBytes * batch * 2;
}
