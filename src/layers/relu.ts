import { argError, passThrough } from './result.js';
import type { LayerDef } from './types.js';
import { lit, torchFunction } from '../targets/torch/lowering.js';
import * as onnx from '../targets/onnx/index.js';
import { num, type TfConfigValue } from '../targets/tfjs/index.js';

/**
 * Keras's ReLU layer: max_value above it, x from threshold up, and
 * negative_slope·(x − threshold) below. tfjs-layers' ReLU has only
 * max_value, so the full form runs on mlc's own ReLU (src/runtime/custom-layers).
 */
export const relu: LayerDef = {
  kind: 'relu',
  aliases: [],
  kerasClass: 'ReLU',
  doc: 'Rectifier layer: min(max_value, x) from `threshold` up, negative_slope·(x − threshold) below.',
  example: 'relu max_value=6',
  positional: [],
  options: [
    { name: 'max_value', arg: { type: 'float', min: 0 }, optional: true, doc: 'Upper bound of the output (none by default).' },
    { name: 'negative_slope', arg: { type: 'float', min: 0 }, default: 0, doc: 'Slope below the threshold.' },
    { name: 'threshold', arg: { type: 'float' }, default: 0, doc: 'The input value where the unit starts passing x through.' },
  ],
  arity: 1,
  infer(node, [input]) {
    const max = node.args.max_value;
    if (typeof max === 'number' && max < (node.args.threshold as number)) {
      return argError(node, `relu max_value ${max} is below its threshold ${String(node.args.threshold)}`, 'give a max_value above the threshold', 'max_value');
    }
    return passThrough(input);
  },
  targets: {
    torch: torchFunction((n) => `keras_relu(${lit(n.args.max_value)}, ${lit(n.args.negative_slope)}, ${lit(n.args.threshold)})`, 'any'),
    // As mlc's ReLU computes it: (x ≥ threshold ? x : 0), capped at max_value, plus negative_slope·min(x − threshold, 0).
    onnx: (node, ctx) => {
      const { g } = ctx;
      const [x] = ctx.inputs;
      const max = node.args.max_value;
      const slope = onnx.numArg(node, 'negative_slope', 0);
      const threshold = onnx.numArg(node, 'threshold', 0);
      return onnx.elementwise(g, x.name, x.shape.length, (v) => {
        const t = g.floatValues([threshold], true);
        let y = threshold === 0 ? g.op('Relu', [v]) : g.op('Where', [g.op('GreaterOrEqual', [v, t]), v, g.floatValues([0], true)]);
        if (typeof max === 'number') y = g.op('Min', [y, g.floatValues([max], true)]);
        if (slope !== 0) {
          const below = g.op('Min', [g.op('Sub', [v, t]), g.floatValues([0], true)]);
          y = g.op('Add', [y, g.op('Mul', [below, g.floatValues([slope], true)])]);
        }
        return y;
      });
    },
    tfjs: (node) => {
      const max: Record<string, TfConfigValue> = typeof node.args.max_value === 'number' ? { maxValue: node.args.max_value } : {};
      const slope = num(node, 'negative_slope');
      const threshold = num(node, 'threshold');
      // tfjs's ReLU clips to [0, max_value], and tfjs-core's clip to [0, 0] returns constant zeros cut off from
      // the gradient tape (training then finds no weight connected to the loss); mlc's ReLU takes a minimum instead.
      if (slope === 0 && threshold === 0 && node.args.max_value !== 0) return { factory: 'reLU', config: { ...max, name: node.name } };
      return { factory: 'reLU', custom: true, config: { ...max, negativeSlope: slope, threshold, name: node.name } };
    },
  },
};
