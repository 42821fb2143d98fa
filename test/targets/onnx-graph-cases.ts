/**
 * Graph models for the ONNX tests, written as IR (the language's graph
 * syntax is parsed elsewhere): nodes with every argument filled from their
 * definitions, as the front end fills them.
 */
import type { IR, IRNode } from '../../src/ir/types.js';
import { findLayer } from '../../src/layers/index.js';
import { fillArgs } from '../layers/helpers.js';
import type { ParityOptions } from './onnx-helpers.js';

function node(kind: string, id: string, inputs: string[], args: Record<string, unknown> = {}): IRNode {
  const def = findLayer(kind)!;
  return { id, kind: def.kind, kerasClass: def.kerasClass, name: id, args: fillArgs(def, args as never), inputs };
}

function graph(inputs: Record<string, number[]>, nodes: IRNode[], outputs: string[]): IR {
  return {
    irVersion: 1, name: 'g', nodes, outputs,
    inputs: Object.entries(inputs).map(([id, shape]) => ({ id, name: id, shape, dtype: 'float32' as const })),
  };
}

export interface GraphCase {
  name: string;
  ir: IR;
  opts?: ParityOptions;
  /** ONNX ops the export must use. */
  ops?: string[];
  /** How many Transpose nodes the graph may have. */
  transposes?: number;
}

const DOT_AXES: [number[], number[], number[]][] = [
  [[3, 4], [5, 4], [2, 2]], [[3, 4], [3, 5], [1, 1]], [[3, 4], [4, 5], [2, 1]], [[4, 3], [5, 4], [1, 2]],
  [[4], [3, 4], [1, 2]], [[3, 4], [3], [1, 1]],
];

export const GRAPH_CASES: GraphCase[] = [
  {
    name: 'two inputs, a branch, every merge and five outputs',
    ir: graph({ a: [4], b: [3, 4] }, [
      node('dense', 'left', ['a'], { units: 4, activation: 'relu' }),
      node('dense', 'right', ['a'], { units: 4, activation: 'tanh' }),
      node('add', 'sum', ['left', 'right', 'a']),
      node('subtract', 'diff', ['sum', 'left']),
      node('multiply', 'product', ['diff', 'right', 'left']),
      node('average', 'mean', ['product', 'left']),
      node('maximum', 'most', ['mean', 'right', 'left']),
      node('minimum', 'least', ['most', 'sum']),
      node('concat', 'joined', ['least', 'a']),
      node('dense', 'proj', ['joined'], { units: 4 }),
      node('dot', 'similarity', ['proj', 'left'], { axes: 1, normalize: true }),
      node('dense', 'keys', ['b'], { units: 4 }),
      node('concat', 'stacked', ['keys', 'b'], { axis: 1 }),
    ], ['similarity', 'joined', 'stacked', 'least', 'diff']),
    opts: { samples: 5 },
    ops: ['Add', 'Sub', 'Mul', 'Mean', 'Max', 'Min', 'Concat', 'Einsum'],
  },
  {
    name: 'merges of different ranks insert axes after the batch, as Keras does, and broadcast ones',
    ir: graph({ v: [4], s: [3, 4], t: [3, 1] }, [
      node('add', 'plus', ['v', 's']),
      node('maximum', 'top', ['plus', 't']),
      node('multiply', 'scaled', ['top', 'v', 't']),
    ], ['scaled']),
  },
  {
    name: 'a residual block with zero padding and a channel concat stays channels-first between its convolutions',
    ir: graph({ x: [6, 6, 2] }, [
      node('conv2d', 'c0', ['x'], { filters: 3, kernel_size: 1, activation: 'relu' }),
      node('zeropadding2d', 'pad', ['c0'], { padding: [1, 2] }),
      node('conv2d', 'c1', ['pad'], { filters: 3, kernel_size: [3, 5], activation: 'relu' }),
      node('batchnorm', 'bn', ['c1']),
      node('add', 'res', ['bn', 'c0']),
      node('activation', 'act', ['res'], { activation: 'relu' }),
      node('conv2d', 'c2', ['act'], { filters: 2, kernel_size: 1, activation: 'relu' }),
      node('concat', 'cat', ['c2', 'act']),
      node('maxpool2d', 'pool', ['cat']),
      node('flatten', 'flat', ['pool']),
      node('dense', 'out', ['flat'], { units: 2 }),
    ], ['out']),
    // One transpose in (before c0), one out (before flatten).
    transposes: 2,
  },
  {
    name: 'zero padding of a channels-last image',
    ir: graph({ x: [4, 5, 2] }, [node('zeropadding2d', 'pad', ['x'], { padding: [2, 1] })], ['pad']),
    ops: ['Pad'],
    transposes: 0,
  },
  ...DOT_AXES.map(([a, b, axes]) => ({
    name: `dot of (${a}) and (${b}) over axes ${axes.join('x')}`,
    ir: graph({ a, b }, [node('dot', 'd', ['a', 'b'], { axes })], ['d']),
  })),
];
