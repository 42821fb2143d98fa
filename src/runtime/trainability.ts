/**
 * What TensorFlow.js can run but not train, said before any data is loaded
 * rather than as an error from inside the first training step.
 *
 * A dilated conv2d without an activation: tfjs-layers runs it as a fused
 * convolution even while training, and that op's gradient, which mlc cannot
 * replace, refuses dilations above 1. With an activation the convolution runs
 * unfused, and mlc's own gradient (kernels/dilated-conv-gradient.ts) trains it.
 */
import type { IR, IRNode } from '../ir/types.js';

function dilated(node: IRNode): boolean {
  const rate = node.args.dilation_rate;
  return Array.isArray(rate) && rate.some((d) => d !== 1);
}

/** The first reason the model cannot be trained, as `FILE:LINE:COL: error: ...` and a help line; undefined when it can. */
export function whyUntrainable(ir: IR, file: string): string | undefined {
  const node = ir.nodes.find((n) => n.kind === 'conv2d' && dilated(n) && n.args.activation === 'linear');
  if (!node) return undefined;
  const where = node.span ? `${file}:${node.span.line}:${node.span.column}` : file;
  const rate = (node.args.dilation_rate as number[]).join('x');
  return (
    `${where}: error: TensorFlow.js cannot train conv2d \`${node.name}\` (dilation_rate=${rate}, no activation): ` +
    'the fused convolution it runs has no gradient for dilations above 1\n' +
    'help: give the layer an activation (e.g. `relu`), or use dilation_rate=1'
  );
}
