/** The normalised-axis rule shared by batchnorm and layernorm. */
import type { IRNode } from '../ir/types.js';
import { argError, shapeError, type InferFailure } from './result.js';
import { formatShape } from './shape.js';
import type { InferInput } from './types.js';

/** The size of the axis named by `args.axis` (negative counts from the end), or why it has none. */
export function normalizedAxisSize(node: IRNode, input: InferInput): number | InferFailure {
  const rank = input.shape.length;
  const axis = node.args.axis as number;
  const index = axis < 0 ? rank + axis : axis;
  if (index < 1 || index >= rank) {
    return argError(node, `${node.kind} axis ${axis} is not a feature axis of its input ${formatShape(input.shape)}`,
      `use an axis from 1 to ${rank - 1} (or -1 for the last); axis 0 is the batch`, 'axis');
  }
  const size = input.shape[index];
  if (size === null) {
    return shapeError(node, `${node.kind} needs a known size on axis ${axis} to size gamma and beta; got ${formatShape(input.shape)}`,
      'normalise a fixed-size axis (usually the last, channel axis)', 'axis');
  }
  return size;
}
