/**
 * SimpleRNN, LSTM and GRU (alone or inside Bidirectional) as ONNX's RNN, LSTM
 * and GRU ops. Keras keeps a cell's weights as kernel (in, gates·units),
 * recurrent_kernel (units, gates·units) and one bias; ONNX wants them
 * transposed, gate blocks in its own order (LSTM: Keras i,f,c,o is ONNX
 * i,o,f,c; GRU: z,r,h in both) and an input bias beside a recurrent one.
 * GRU's reset_after=true is ONNX's linear_before_reset=1, its two bias rows
 * the two ONNX biases. An activation those ops lack (gelu, swish, selu, ...)
 * makes the layer a Scan whose body is the Keras cell written out.
 */
import { activationName, applyActivation } from './activations.js';
import { boolArg, hostWeight } from './common.js';
import { floats, graph, int, ints, str, strs, type Attr } from './graph.js';
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

/** The cell's activations in Keras's names and ONNX's order: RNN [act], GRU [gate, act], LSTM [gate, act, act]. */
function kerasActivations(node: OnnxLowerableNode, cell: CellKind): string[] {
  const act = activationName(node, 'activation', 'tanh');
  const names = cell.op === 'RNN' ? [act] : [activationName(node, 'recurrent_activation', 'sigmoid'), act];
  if (cell.op === 'LSTM') names.push(act);
  return names;
}

/** The op's activation attributes, or undefined when one has no built-in ONNX form. */
function cellActivations(node: OnnxLowerableNode, cell: CellKind): Record<string, Attr> | undefined {
  const mapped = kerasActivations(node, cell).map((name) => CELL_ACTIVATIONS[name]);
  if (mapped.some((m) => m === undefined)) return undefined;
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
 * A recurrent layer; with `bidirectional`, the Bidirectional around it, whose
 * weights live under forward_NAME/ and backward_NAME/.
 */
export function recurrentOnnx(cellNode: OnnxLowerableNode, ctx: OnnxLowerContext, bidirectional?: { mergeMode: string; node: OnnxLowerableNode }): string {
  const { g } = ctx;
  const [x] = ctx.inputs;
  const cell = CELLS[cellNode.kind];
  if (!cell) unsupported(cellNode, 'not a recurrent layer', 'wrap simplernn, lstm or gru');
  const acts = cellActivations(cellNode, cell);
  if (!acts) return scanRecurrent(cellNode, ctx, cell, bidirectional);
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
  const reduce = MERGES[mode] ?? unknownMerge(bidirectional.node, mode);
  // ReduceSum takes its axes as an input from opset 13; ReduceProd and ReduceMean as an attribute until opset 18.
  if (reduce === 'ReduceSum') return g.op(reduce, [both, g.int64s([directionAxis])], { keepdims: int(0) });
  return g.op(reduce, [both], { axes: ints([directionAxis]), keepdims: int(0) });
}


function unknownMerge(node: OnnxLowerableNode, mode: string): never {
  return unsupported(node, `merge_mode \`${mode}\` has no ONNX form here`, 'use concat, sum, mul or ave', 'merge_mode');
}

/** Columns [from, to) of a (rows, columns) matrix. */
function columns(t: HostTensor, from: number, to: number): HostTensor {
  const [rows, cols] = t.shape;
  const out = new Float32Array(rows * (to - from));
  for (let r = 0; r < rows; r++) out.set(t.data.subarray(r * cols + from, r * cols + to), r * (to - from));
  return { shape: [rows, to - from], data: out };
}

/**
 * One direction of a recurrent layer as a Scan over the time axis whose body
 * is the Keras cell written out (tfjs-layers' formulas, Keras's weight
 * layout): for activations that ONNX's recurrent ops lack. Returns the last
 * state and the sequence of states.
 */
function scanDirection(node: OnnxLowerableNode, ctx: OnnxLowerContext, cell: CellKind, prefix: string, reverse: boolean): { last: string; sequence: string } {
  const { g } = ctx;
  const [x] = ctx.inputs;
  const units = node.args.units as number;
  const [recurrentActivation, activation] = cell.op === 'RNN' ? ['', kerasActivations(node, cell)[0]] : kerasActivations(node, cell);
  const body = g.subgraph(`${cell.op}_cell`);
  const lstm = cell.op === 'LSTM';
  const hPrev = body.unique('h_prev');
  const cPrev = lstm ? body.unique('c_prev') : '';
  const xt = body.unique('x_t');
  const act = (v: string) => applyActivation(body, v, activation, node);
  const gate = (v: string) => applyActivation(body, v, recurrentActivation, node, 'recurrent_activation');
  const kernel = hostWeight(ctx, `${prefix}kernel`);
  const recurrentKernel = hostWeight(ctx, `${prefix}recurrent_kernel`);
  const width = cell.gates * units;
  const bias = boolArg(node, 'use_bias', true) ? hostWeight(ctx, `${prefix}bias`).data : undefined;
  const inputBias = bias && bias.subarray(0, width);
  const recurrentBias = bias && bias.length === 2 * width ? bias.subarray(width) : undefined;
  const matmul = (v: string, name: string, t: HostTensor, b?: Float32Array) => {
    const product = body.op('MatMul', [v, body.floatConstant(name, t.shape, t.data)]);
    return b ? body.op('Add', [product, body.floatConstant(`${name}_bias`, [b.length], b)]) : product;
  };
  const split = (v: string, parts: number) =>
    body.add('Split', [v, body.int64s(Array(parts).fill(units))], { axis: int(1) }, { outputs: parts });
  const sub = (a: string, b: string) => body.op('Sub', [a, b]);
  const mul = (a: string, b: string) => body.op('Mul', [a, b]);
  const add = (a: string, b: string) => body.op('Add', [a, b]);
  const matrixX = matmul(xt, 'kernel', kernel, inputBias);
  let h: string;
  let c = '';
  if (cell.op === 'RNN') {
    h = act(add(matrixX, matmul(hPrev, 'recurrent_kernel', recurrentKernel)));
  } else if (lstm) {
    const [zi, zf, zc, zo] = split(add(matrixX, matmul(hPrev, 'recurrent_kernel', recurrentKernel)), 4);
    c = add(mul(gate(zf), cPrev), mul(gate(zi), act(zc)));
    h = mul(gate(zo), act(c));
  } else {
    const [xz, xr, xh] = split(matrixX, 3);
    let z: string;
    let hh: string;
    if (node.args.reset_after === true) {
      // Keras 3's GRU: the reset gate scales the recurrent product, recurrent bias included.
      const [rz, rr, rh] = split(matmul(hPrev, 'recurrent_kernel', recurrentKernel, recurrentBias), 3);
      z = gate(add(xz, rz));
      hh = act(add(xh, mul(gate(add(xr, rr)), rh)));
    } else {
      const [rz, rr] = split(matmul(hPrev, 'recurrent_kernel_zr', columns(recurrentKernel, 0, 2 * units)), 2);
      z = gate(add(xz, rz));
      const r = gate(add(xr, rr));
      hh = act(add(xh, matmul(mul(r, hPrev), 'recurrent_kernel_h', columns(recurrentKernel, 2 * units, 3 * units))));
    }
    // h = z·h_prev + (1 - z)·hh
    h = add(mul(z, hPrev), mul(sub(body.floatValues([1], true), z), hh));
  }
  const state = (name: string) => ({ name, dtype: 'float32' as const, dims: ['batch', units] });
  const hOut = body.op('Identity', [h], {}, 'h');
  const cOut = lstm ? body.op('Identity', [c], {}, 'c') : '';
  const yOut = body.op('Identity', [h], {}, 'y');
  const bodyProto = body.finish(
    [state(hPrev), ...(lstm ? [state(cPrev)] : []), { name: xt, dtype: 'float32', dims: ['batch', x.shape[2] as number] }],
    [state(hOut), ...(lstm ? [state(cOut)] : []), state(yOut)],
  );
  // Zero initial states of (batch, units), the batch read from the input.
  const batch = g.op('Slice', [g.op('Shape', [x.name]), g.int64s([0]), g.int64s([1])], {}, 'batch_size');
  const zeros = g.op('ConstantOfShape', [g.op('Concat', [batch, g.int64s([units])], { axis: int(0) })], {}, 'initial_state');
  const outs = g.add('Scan', [zeros, ...(lstm ? [zeros] : []), x.name], {
    body: graph(bodyProto),
    num_scan_inputs: int(1),
    scan_input_axes: ints([1]),
    scan_output_axes: ints([1]),
    // Backwards, the outputs are stored from the end too, so step t's output sits at t as in Keras.
    ...(reverse ? { scan_input_directions: ints([1]), scan_output_directions: ints([1]) } : {}),
  }, { outputs: lstm ? 3 : 2, name: reverse ? 'Scan_backward' : 'Scan' });
  return { last: outs[0], sequence: outs[outs.length - 1] };
}

const SCAN_MERGES: Record<string, string> = { concat: 'Concat', sum: 'Add', mul: 'Mul', ave: 'Mean' };

function scanRecurrent(node: OnnxLowerableNode, ctx: OnnxLowerContext, cell: CellKind, bidirectional?: { mergeMode: string; node: OnnxLowerableNode }): string {
  const pick = (r: { last: string; sequence: string }) => (boolArg(node, 'return_sequences', false) ? r.sequence : r.last);
  if (!bidirectional) return pick(scanDirection(node, ctx, cell, '', false));
  const op = SCAN_MERGES[bidirectional.mergeMode] ?? unknownMerge(bidirectional.node, bidirectional.mergeMode);
  const forward = pick(scanDirection(node, ctx, cell, `forward_${node.name}/`, false));
  const backward = pick(scanDirection(node, ctx, cell, `backward_${node.name}/`, true));
  return ctx.g.op(op, [forward, backward], op === 'Concat' ? { axis: int(-1) } : {});
}
