import { argError, passThrough } from './result.js';
import type { LayerDef } from './types.js';
import { notYetInTorch } from '../targets/torch/lowering.js';
import { notYetInOnnx } from '../targets/onnx/index.js';
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
    torch: notYetInTorch,
    onnx: notYetInOnnx,
    tfjs: (node) => {
      const max: Record<string, TfConfigValue> = typeof node.args.max_value === 'number' ? { maxValue: node.args.max_value } : {};
      const slope = num(node, 'negative_slope');
      const threshold = num(node, 'threshold');
      if (slope === 0 && threshold === 0) return { factory: 'reLU', config: { ...max, name: node.name } };
      return { factory: 'reLU', custom: true, config: { ...max, negativeSlope: slope, threshold, name: node.name } };
    },
  },
};
