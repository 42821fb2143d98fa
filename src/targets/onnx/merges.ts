/**
 * The merges of graph models (several inputs of one shape, or broadcastable,
 * one output), by the kind names of DSL.md, for their definitions to use.
 */
import { boolArg, numArg } from './common.js';
import { int, ints } from './graph.js';
import { unsupported, type OnnxLowering } from './types.js';

const variadic = (op: string): OnnxLowering => (_node, ctx) => ctx.g.op(op, ctx.inputs.map((t) => t.name));

const subtract: OnnxLowering = (_node, ctx) => ctx.g.op('Sub', [ctx.inputs[0].name, ctx.inputs[1].name]);

const multiply: OnnxLowering = (_node, ctx) =>
  ctx.inputs.slice(1).reduce((acc, t) => ctx.g.op('Mul', [acc, t.name]), ctx.inputs[0].name);

const concatenate: OnnxLowering = (node, ctx) => ctx.g.op('Concat', ctx.inputs.map((t) => t.name), { axis: int(numArg(node, 'axis', -1)) });

/** Keras's Dot: a batched dot product over one axis of each input, optionally of L2-normalised inputs. */
const dot: OnnxLowering = (node, ctx) => {
  const { g } = ctx;
  const [a, b] = ctx.inputs;
  const raw = node.args.axes;
  const given = Array.isArray(raw) ? (raw as number[]) : [numArg(node, 'axes'), numArg(node, 'axes')];
  const [ax, bx] = given.map((axis, i) => (axis < 0 ? ctx.inputs[i].shape.length + axis : axis));
  const normalize = (t: { name: string }, axis: number) =>
    boolArg(node, 'normalize', false) ? g.op('LpNormalization', [t.name], { axis: int(axis), p: int(2) }) : t.name;
  const an = normalize(a, ax);
  const bn = normalize(b, bx);
  if (a.shape.length === 2 && b.shape.length === 2) {
    return g.op('ReduceSum', [g.op('Mul', [an, bn]), g.int64s([1])], { keepdims: int(1) });
  }
  if (a.shape.length !== 3 || b.shape.length !== 3) {
    unsupported(node, 'dot of inputs other than two matrices or two sequences has no ONNX form here', 'reshape the inputs to (batch, n) or (batch, steps, n)');
  }
  // (batch, i, j) · (batch, k, l): contract a's axis `ax` with b's axis `bx` by one MatMul.
  const left = ax === 2 ? an : g.op('Transpose', [an], { perm: ints([0, 2, 1]) });
  const right = bx === 1 ? bn : g.op('Transpose', [bn], { perm: ints([0, 2, 1]) });
  return g.op('MatMul', [left, right]);
};

export const MERGE_LOWERINGS = {
  add: variadic('Sum'),
  subtract,
  multiply,
  average: variadic('Mean'),
  maximum: variadic('Max'),
  minimum: variadic('Min'),
  concatenate,
  dot,
} satisfies Record<string, OnnxLowering>;
