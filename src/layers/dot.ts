import { error } from '../diagnostics/diagnostic.js';
import { bool, tuple } from '../targets/tfjs/index.js';
import { describeInput, inputNotes } from './merge.js';
import { fail, spanOf, success } from './result.js';
import type { LayerDef } from './types.js';
import * as onnx from '../targets/onnx/index.js';
import { lit, pyTuple, torchFunction } from '../targets/torch/lowering.js';

/** Keras's Dot axes, one per input (a single `1` was widened to 1x1); negative counts from the end. */
function axesOf(axes: number[], ranks: readonly number[]): [number, number] {
  return [0, 1].map((i) => (axes[i] < 0 ? axes[i] + ranks[i] : axes[i])) as [number, number];
}

export const dot: LayerDef = {
  kind: 'dot',
  aliases: [],
  kerasClass: 'Dot',
  doc: 'Dot product of two tensors along the given axes (per sample), e.g. the similarity of two embeddings.',
  example: 'dot [a, b] axes=1',
  positional: [],
  options: [
    { name: 'axes', arg: { type: 'tuple', length: 2 }, doc: 'The axis of each input to multiply over (`1`, or `1x2` for different axes; not 0, the batch).' },
    { name: 'normalize', arg: { type: 'bool' }, default: false, doc: 'L2-normalise both inputs first, giving the cosine similarity.' },
  ],
  arity: 'n',
  outputRank: (ranks) => Math.max(2, ranks[0] + ranks[1] - 3),
  infer(node, inputs) {
    if (inputs.length !== 2) {
      return fail(error('E-ARITY', `dot takes exactly two tensors; it is given ${inputs.length}`, spanOf(node), 'write `dot [a, b] axes=1`'));
    }
    const [a, b] = inputs;
    const [ax, bx] = axesOf(node.args.axes as number[], [a.shape.length, b.shape.length]);
    if (ax < 1 || ax >= a.shape.length || bx < 1 || bx >= b.shape.length) {
      return fail(error('E-ARG', `dot axes ${(node.args.axes as number[]).join('x')} are not feature axes of ${describeInput(a)} and ${describeInput(b)}`,
        spanOf(node, 'axes'), 'axes count from 1 (0 is the batch); -1 is the last axis'));
    }
    const da = a.shape[ax];
    const db = b.shape[bx];
    if (da !== null && db !== null && da !== db) {
      const d = error('E-SHAPE', `dot multiplies axis ${ax} of ${describeInput(a)} with axis ${bx} of ${describeInput(b)}, but their sizes ${da} and ${db} differ`,
        spanOf(node), 'the two axes must have the same size: choose other `axes`, or project one input with `dense`');
      d.related = inputNotes(inputs);
      return fail(d);
    }
    const out = [...a.shape.filter((_, i) => i !== ax), ...b.shape.filter((_, i) => i !== bx && i !== 0)];
    return success(out.length === 1 ? [null, 1] : out, [], 0);
  },
  targets: {
    torch: torchFunction((n, ctx) => {
      const axes = (n.args.axes as number[]).map((a, i) => (a < 0 ? a + ctx.inputShapes[i].length : a));
      return `keras_merge("dot", axes=${pyTuple(axes)}, normalize=${lit(n.args.normalize)})`;
    }, 'last'),
    tfjs: (node) => {
      const axes = tuple(node, 'axes') as [number, number];
      return { factory: 'dot', config: { axes, normalize: bool(node, 'normalize'), name: node.name } };
    },
    // One Einsum: the batch and the two multiplied axes share their letters; the
    // output keeps a's other axes, then b's, as Keras's batch_dot orders them.
    onnx: (node, ctx) => {
      const { g } = ctx;
      const [a, b] = ctx.inputs;
      const [ax, bx] = axesOf(onnx.tupleArg(node, 'axes', 2), [a.shape.length, b.shape.length]);
      const normalize = onnx.boolArg(node, 'normalize', false);
      const left = normalize ? onnx.l2Normalize(g, a.name, ax) : a.name;
      const right = normalize ? onnx.l2Normalize(g, b.name, bx) : b.name;
      const letters = 'cdefghij';
      const aAxes = a.shape.map((_, i) => (i === 0 ? 'b' : i === ax ? 'k' : letters[i]));
      const bAxes = b.shape.map((_, i) => (i === 0 ? 'b' : i === bx ? 'k' : letters[a.shape.length + i]));
      const out = [...aAxes.filter((l) => l !== 'k'), ...bAxes.filter((l) => l !== 'k' && l !== 'b')];
      const y = g.op('Einsum', [left, right], { equation: onnx.str(`${aAxes.join('')},${bAxes.join('')}->${out.join('')}`) });
      // Two vectors give one number per sample, kept as (batch, 1).
      return out.length === 1 ? g.op('Unsqueeze', [y, g.int64s([1])]) : y;
    },
  },
};
