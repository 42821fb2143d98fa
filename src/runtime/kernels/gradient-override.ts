/**
 * Replacing the gradient TensorFlow.js registered for a kernel with one that
 * handles some cases itself and hands every other case to the gradient it
 * replaced. The replacement saves what the stock gradient saves, so either
 * can run from the same saved tensors.
 */
import { getGradient, registerGradient } from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';

type GradFunc = GradConfig['gradFunc'];
type Gradients = ReturnType<GradFunc>;

/** The replacements registered so far, by kernel name: registering one again is a no-op. */
const replacements = new Map<string, GradConfig>();

export function overrideGradient(
  kernelName: string,
  gradFunc: (stock: GradFunc, dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => Gradients,
): void {
  const stock = getGradient(kernelName);
  if (stock === undefined || stock === replacements.get(kernelName)) return;
  const replacement: GradConfig = {
    ...stock,
    gradFunc: (dy, saved, attrs) => gradFunc(stock.gradFunc, dy, saved, attrs),
  };
  replacements.set(kernelName, replacement);
  registerGradient(replacement);
}
