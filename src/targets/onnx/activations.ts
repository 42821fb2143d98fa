/**
 * Keras activations as ONNX nodes, computing what tfjs-layers computes
 * (hard_sigmoid is tfjs's clip(0.2x + 0.5, 0, 1); gelu is the exact, erf form).
 */
import { float, int, type OnnxGraph } from './graph.js';
import { unsupported, type OnnxLowerableNode } from './types.js';

type Emit = (g: OnnxGraph, x: string) => string;

const ACTIVATIONS: Record<string, Emit> = {
  linear: (_g, x) => x,
  relu: (g, x) => g.op('Relu', [x]),
  relu6: (g, x) => g.op('Clip', [x, g.floatValues([0], true), g.floatValues([6], true)], {}, 'Relu6'),
  elu: (g, x) => g.op('Elu', [x], { alpha: float(1) }),
  // ONNX's defaults are Keras's (and tfjs's) constants.
  selu: (g, x) => g.op('Selu', [x]),
  sigmoid: (g, x) => g.op('Sigmoid', [x]),
  hard_sigmoid: (g, x) => g.op('HardSigmoid', [x], { alpha: float(0.2), beta: float(0.5) }),
  tanh: (g, x) => g.op('Tanh', [x]),
  softmax: (g, x) => g.op('Softmax', [x], { axis: int(-1) }),
  softplus: (g, x) => g.op('Softplus', [x]),
  softsign: (g, x) => g.op('Softsign', [x]),
  swish: (g, x) => g.op('Mul', [x, g.op('Sigmoid', [x])], {}, 'Swish'),
  gelu: (g, x) => {
    // 0.5 · x · (1 + erf(x / √2)); ONNX's Gelu op needs opset 20.
    const erf = g.op('Erf', [g.op('Div', [x, g.floatValues([Math.SQRT2], true)])]);
    const cdf = g.op('Mul', [g.op('Add', [erf, g.floatValues([1], true)]), g.floatValues([0.5], true)]);
    return g.op('Mul', [x, cdf], {}, 'Gelu');
  },
  mish: (g, x) => g.op('Mul', [x, g.op('Tanh', [g.op('Softplus', [x])])], {}, 'Mish'),
};

/** Whether an activation works elementwise (softmax does not: it reads the whole last axis). */
export function isElementwise(name: string): boolean {
  return name !== 'softmax';
}

export function activationName(node: OnnxLowerableNode, key = 'activation', fallback = 'linear'): string {
  const v = node.args[key];
  return v === undefined || v === null ? fallback : String(v);
}

/** Adds `name` applied to `x`; the value comes back unchanged for `linear`. */
export function applyActivation(g: OnnxGraph, x: string, name: string, node: OnnxLowerableNode, key = 'activation'): string {
  const emit = ACTIVATIONS[name];
  if (!emit) unsupported(node, `activation \`${name}\` has no ONNX form`, `use one of: ${Object.keys(ACTIVATIONS).join(', ')}`, key);
  return emit(g, x);
}

export const ONNX_ACTIVATIONS: readonly string[] = Object.keys(ACTIVATIONS);
