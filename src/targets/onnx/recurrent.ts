/**
 * SimpleRNN, LSTM and GRU (alone or inside Bidirectional) as ONNX's RNN, LSTM
 * and GRU ops. Keras keeps a cell's weights as kernel (in, gates·units),
 * recurrent_kernel (units, gates·units) and one bias; ONNX wants them
 * transposed, gate blocks in its own order (LSTM: Keras i,f,c,o is ONNX
 * i,o,f,c; GRU: z,r,h in both) and an input bias beside a recurrent one.
 * GRU's reset_after=true is ONNX's linear_before_reset=1, its two bias rows
 * the two ONNX biases.
 */
import { activationName } from './activations.js';
import { boolArg, hostWeight } from './common.js';
import { floats, int, ints, str, strs, type Attr } from './graph.js';
import { concat, permute, reorderRowBlocks, type HostTensor } from './tensor.js';
import { unsupported, type OnnxLowerContext, type OnnxLowerableNode } from './types.js';

interface CellKind {
  op: 'RNN' | 'LSTM' | 'GRU';
  gates: number;
  /** ONNX gate block k is Keras block order[k]. */
  order: number[];
}

const CELLS: Record<string, CellKind> = {
  simplernn: { op: 'RNN', gates: 1, order: [0] },
  lstm: { op: 'LSTM', gates: 4, order: [0, 3, 1, 2] },
  gru: { op: 'GRU', gates: 3, order: [0, 1, 2] },
};

/** Keras activation -> the name, alpha and beta of ONNX's built-in recurrent activations. */
const CELL_ACTIVATIONS: Record<string, { name: string; alpha?: number; beta?: number }> = {
  tanh: { name: 'Tanh' },
  sigmoid: { name: 'Sigmoid' },
  relu: { name: 'Relu' },
  softsign: { name: 'Softsign' },
  softplus: { name: 'Softplus' },
  linear: { name: 'Affine', alpha: 1, beta: 0 },
  hard_sigmoid: { name: 'HardSigmoid', alpha: 0.2, beta: 0.5 },
  elu: { name: 'Elu', alpha: 1 },
};

export const WRAPPABLE_CELLS: readonly string[] = Object.keys(CELLS);

/** The cell's activations in ONNX's order: RNN [act], GRU [gate, act], LSTM [gate, act, act]. */
function cellActivations(node: OnnxLowerableNode, cell: CellKind): Record<string, Attr> {
  const act = activationName(node, 'activation', 'tanh');
  const keras = cell.op === 'RNN' ? [act] : [activationName(node, 'recurrent_activation', 'sigmoid'), act];
  if (cell.op === 'LSTM') keras.push(act);
  const mapped = keras.map((name, i) => {
    const m = CELL_ACTIVATIONS[name];
    if (!m) {
      unsupported(node, `the ONNX ${cell.op} op has no \`${name}\` activation`,
        `use one of ${Object.keys(CELL_ACTIVATIONS).join(', ')} for a recurrent layer exported to ONNX`,
        cell.op !== 'RNN' && i === 0 ? 'recurrent_activation' : 'activation');
    }
    return m;
  });
  // Alphas and betas are consumed in order by the activations that take them.
  const alphas = mapped.flatMap((m) => (m.alpha === undefined ? [] : [m.alpha]));
  const betas = mapped.flatMap((m) => (m.beta === undefined ? [] : [m.beta]));
  return {
    activations: strs(mapped.map((m) => m.name)),
    ...(alphas.length ? { activation_alpha: floats(alphas) } : {}),
    ...(betas.length ? { activation_beta: floats(betas) } : {}),
  };
}

interface DirectionWeights {
  w: Float32Array;
  r: Float32Array;
  b?: Float32Array;
}

/** One direction's W (gates·units, in), R (gates·units, units) and B (2·gates·units) from Keras's weights under `prefix`. */
function directionWeights(node: OnnxLowerableNode, ctx: OnnxLowerContext, cell: CellKind, prefix: string): DirectionWeights {
  const units = node.args.units as number;
  const onnxBlocks = (t: HostTensor) => reorderRowBlocks(permute(t, [1, 0]), cell.gates, cell.order).data;
  const w = onnxBlocks(hostWeight(ctx, `${prefix}kernel`));
  const r = onnxBlocks(hostWeight(ctx, `${prefix}recurrent_kernel`));
  if (!boolArg(node, 'use_bias', true)) return { w, r };
  const bias = hostWeight(ctx, `${prefix}bias`);
  const width = cell.gates * units;
  const reorder = (data: Float32Array) => reorderRowBlocks({ shape: [width], data }, cell.gates, cell.order).data;
  // GRU reset_after=true keeps (2, 3·units): the input bias, then the recurrent one.
  const b = bias.data.length === 2 * width
    ? concat([reorder(bias.data.subarray(0, width)), reorder(bias.data.subarray(width))])
    : concat([reorder(bias.data), new Float32Array(width)]);
  return { w, r, b };
}

const MERGES: Record<string, 'ReduceSum' | 'ReduceProd' | 'ReduceMean'> = { sum: 'ReduceSum', mul: 'ReduceProd', ave: 'ReduceMean' };

/**
 * A recurrent layer; with `directions` = 2 the Bidirectional around it, whose
 * weights live under forward_NAME/ and backward_NAME/.
 */
export function recurrent(cellNode: OnnxLowerableNode, ctx: OnnxLowerContext, bidirectional?: { mergeMode: string; node: OnnxLowerableNode }): string {
  const { g } = ctx;
  const [x] = ctx.inputs;
  const cell = CELLS[cellNode.kind];
  if (!cell) unsupported(cellNode, 'not a recurrent layer', 'wrap simplernn, lstm or gru');
  const units = cellNode.args.units as number;
  const directions = bidirectional ? 2 : 1;
  const prefixes = bidirectional ? [`forward_${cellNode.name}/`, `backward_${cellNode.name}/`] : [''];
  const weights = prefixes.map((p) => directionWeights(cellNode, ctx, cell, p));
  const width = cell.gates * units;
  const inFeatures = weights[0].w.length / width;
  const inputs = [
    g.op('Transpose', [x.name], { perm: ints([1, 0, 2]) }, 'time_major'),
    g.floatConstant('W', [directions, width, inFeatures], concat(weights.map((d) => d.w))),
    g.floatConstant('R', [directions, width, units], concat(weights.map((d) => d.r))),
  ];
  if (weights[0].b) inputs.push(g.floatConstant('B', [directions, 2 * width], concat(weights.map((d) => d.b!))));
  const acts = cellActivations(cellNode, cell);
  const attrs: Record<string, Attr> = {
    hidden_size: int(units),
    direction: str(bidirectional ? 'bidirectional' : 'forward'),
    ...acts,
  };
  if (bidirectional) {
    // Each direction lists its own activations (and their parameters).
    for (const key of ['activations', 'activation_alpha', 'activation_beta'] as const) {
      const a = attrs[key];
      if (a && (a.type === 'STRINGS' || a.type === 'FLOATS')) attrs[key] = { ...a, value: [...a.value, ...a.value] } as Attr;
    }
  }
  if (cell.op === 'GRU') attrs.linear_before_reset = int(cellNode.args.reset_after === true ? 1 : 0);
  const [y, yLast] = g.add(cell.op, inputs, attrs, { outputs: cell.op === 'LSTM' ? 3 : 2 });

  const sequences = boolArg(cellNode, 'return_sequences', false);
  if (!bidirectional) {
    if (sequences) return g.op('Transpose', [g.op('Squeeze', [y, g.int64s([1])])], { perm: ints([1, 0, 2]) }, 'batch_major');
    return g.op('Squeeze', [yLast, g.int64s([0])]);
  }
  // (steps, 2, batch, units) -> (batch, steps, 2, units); (2, batch, units) -> (batch, 2, units).
  const both = sequences
    ? g.op('Transpose', [y], { perm: ints([2, 0, 1, 3]) }, 'batch_major')
    : g.op('Transpose', [yLast], { perm: ints([1, 0, 2]) }, 'batch_major');
  const directionAxis = sequences ? 2 : 1;
  const mode = bidirectional.mergeMode;
  if (mode === 'concat') {
    // Forward then backward along the last axis, as Keras concatenates them.
    return g.op('Reshape', [both, g.int64s(sequences ? [0, 0, 2 * units] : [0, 2 * units])], {}, 'concat');
  }
  const reduce = MERGES[mode];
  if (!reduce) unsupported(bidirectional.node, `merge_mode \`${mode}\` has no ONNX form here`, 'use concat, sum, mul or ave', 'merge_mode');
  // ReduceSum takes its axes as an input from opset 13; ReduceProd and ReduceMean as an attribute until opset 18.
  if (reduce === 'ReduceSum') return g.op(reduce, [both, g.int64s([directionAxis])], { keepdims: int(0) });
  return g.op(reduce, [both], { axes: ints([directionAxis]), keepdims: int(0) });
}

