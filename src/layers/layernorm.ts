import { axisOption, epsilonOption } from './params.js';
import { success, weight } from './result.js';
import { normalizedAxisSize } from './normalization.js';
import type { LayerDef } from './types.js';
import { num } from '../targets/tfjs/index.js';
import * as onnx from '../targets/onnx/index.js';
import { axisIn, kw, lit, pyCall } from '../targets/torch/lowering.js';

export const layernorm: LayerDef = {
  kind: 'layernorm',
  aliases: [],
  kerasClass: 'LayerNormalization',
  doc: 'Normalises each sample over its last axis (mean 0, variance 1), then scales by gamma and shifts by beta.',
  example: 'layernorm epsilon=1e-6',
  positional: [],
  options: [epsilonOption, axisOption],
  arity: 1,
  infer(node, [input]) {
    const features = normalizedAxisSize(node, input);
    if (typeof features !== 'number') return features;
    return success([...input.shape], [weight('gamma', [features]), weight('beta', [features])], 0);
  },
  targets: {
    torch: {
      wants: 'last',
      module: (n, ctx) => {
        const axis = axisIn('last', ctx.inputShapes[0].length, n.args.axis as number);
        return pyCall('KerasLayerNorm', [String(ctx.inputShapes[0][axis]), kw('axis', String(axis)), kw('epsilon', lit(n.args.epsilon))]);
      },
    },
    tfjs: (node) => ({
      factory: 'layerNormalization',
      config: { axis: num(node, 'axis'), epsilon: num(node, 'epsilon'), name: node.name },
    }),
    onnx: (node, ctx) => {
      const { g } = ctx;
      const [x] = ctx.inputs;
      const rank = x.shape.length;
      const axis = onnx.featureAxis(node, rank);
      const size = x.shape[axis] as number;
      const gamma = ctx.hasWeight('gamma') ? onnx.hostWeight(ctx, 'gamma').data : new Float32Array(size).fill(1);
      const beta = ctx.hasWeight('beta') ? onnx.hostWeight(ctx, 'beta').data : new Float32Array(size);
      const epsilon = onnx.numArg(node, 'epsilon');
      // ONNX's LayerNormalization normalises from `axis` to the last; over one inner axis it is spelled out.
      if (axis === rank - 1) {
        return g.op('LayerNormalization', [x.name, g.floatConstant('gamma', [size], gamma), g.floatConstant('beta', [size], beta)],
          { axis: onnx.int(-1), epsilon: onnx.float(epsilon) });
      }
      const dims = Array.from({ length: rank - axis }, (_, i) => (i === 0 ? size : 1));
      const mean = g.op('ReduceMean', [x.name], { axes: onnx.ints([axis]), keepdims: onnx.int(1) });
      const centred = g.op('Sub', [x.name, mean]);
      const variance = g.op('ReduceMean', [g.op('Mul', [centred, centred])], { axes: onnx.ints([axis]), keepdims: onnx.int(1) });
      const normed = g.op('Div', [centred, g.op('Sqrt', [g.op('Add', [variance, g.floatValues([epsilon], true)])])]);
      return g.op('Add', [g.op('Mul', [normed, g.floatConstant('gamma', dims, gamma)]), g.floatConstant('beta', dims, beta)], {}, 'LayerNormalization');
    },
  },
};
