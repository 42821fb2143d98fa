/**
 * Global pooling: one value per channel over every step (3-D input) or every
 * pixel (4-D input). The Keras class depends on that rank, so infer picks it.
 */
import { shapeError, success } from './result.js';
import { formatShape } from './shape.js';
import type { LayerDef } from './types.js';

export function globalPoolDef(meta: { kind: string; classPrefix: string; doc: string; example: string }): LayerDef {
  return {
    kind: meta.kind,
    aliases: [],
    kerasClass: `${meta.classPrefix}2D`,
    doc: meta.doc,
    example: meta.example,
    positional: [],
    options: [],
    infer(node, [input]) {
      const rank = input.shape.length;
      if (rank !== 3 && rank !== 4) {
        const help = rank === 2
          ? `the input is already flat: remove \`${node.kind}\`, or put it before \`flatten\``
          : 'global pooling reduces (batch, steps, channels) or (batch, height, width, channels); add a `reshape` before it';
        return shapeError(node,
          `${node.kind} expects a 3-D (batch, steps, channels) or 4-D (batch, height, width, channels) input; got ${formatShape(input.shape)}`,
          help);
      }
      // Comparisons or additions only: 0 MACs.
      return success([null, input.shape[rank - 1]], [], 0, { kerasClass: `${meta.classPrefix}${rank - 2}D` });
    },
  };
}
