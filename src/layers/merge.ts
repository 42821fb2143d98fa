/**
 * The merge kinds (Keras's `Merge` subclasses): several tensors in, one out.
 * The element-wise ones (add, subtract, multiply, average, maximum, minimum)
 * share Keras's shape rule: the shapes, aligned on their last axes,
 * must be equal or 1 (broadcast) on every axis but the batch.
 */
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Dim, Shape } from '../ir/types.js';
import type { OnnxLowering } from '../targets/onnx/index.js';
import type { TfjsLowering } from '../targets/tfjs/index.js';
import { fail, spanOf, success, type InferFailure } from './result.js';
import { formatShape } from './shape.js';
import type { InferInput, LayerDef } from './types.js';
import type { TorchLayer } from '../targets/torch/lowering.js';

/** `` `conv2d_3` (None, 8, 8, 64), made on line 7 `` for messages that name a merge's inputs. */
export function describeInput(input: InferInput): string {
  const where = input.origin?.span ? `, made on line ${input.origin.span.line}` : '';
  return `${input.origin ? `\`${input.origin.name}\` ` : ''}${formatShape(input.shape)}${where}`;
}

/** The origins of the inputs, as related notes pointing at the lines that made them. */
export function inputNotes(inputs: readonly InferInput[]): Diagnostic['related'] {
  return inputs.filter((i) => i.origin?.span).map((i) => ({ message: `\`${i.origin!.name}\` ${formatShape(i.shape)} is made here`, span: i.origin!.span }));
}

/** Keras's element-wise broadcast of the non-batch axes, or the first axis where two inputs disagree. */
function broadcast(inputs: readonly InferInput[]): { shape: Shape } | { axisFromEnd: number; a: InferInput; b: InferInput } {
  const rank = Math.max(...inputs.map((i) => i.shape.length));
  const out: Dim[] = [null];
  for (let k = rank - 1; k >= 1; k--) {
    let dim: Dim = 1;
    let owner: InferInput | undefined;
    for (const input of inputs) {
      const d = input.shape[input.shape.length - (rank - k)];
      if (d === undefined || d === 1) continue;
      if (d === null) {
        if (dim === 1) dim = null;
        continue;
      }
      if (dim === 1 || dim === null) {
        dim = d;
        owner = input;
      } else if (dim !== d) return { axisFromEnd: rank - k, a: owner!, b: input };
    }
    out.splice(1, 0, dim);
  }
  return { shape: out };
}

function mismatch(node: Parameters<LayerDef['infer']>[0], message: string, help: string, inputs: readonly InferInput[]): InferFailure {
  const d = error('E-SHAPE', message, spanOf(node), help);
  d.related = inputNotes(inputs);
  return fail(d);
}

export interface ElementwiseMeta {
  kind: string;
  kerasClass: string;
  doc: string;
  example: string;
  /** Exactly two inputs (subtract), instead of two or more. */
  pair?: boolean;
  tfjs: TfjsLowering;
  onnx: OnnxLowering;
  torch: TorchLayer;
}

export function elementwiseDef(meta: ElementwiseMeta): LayerDef {
  return {
    kind: meta.kind,
    aliases: [],
    kerasClass: meta.kerasClass,
    doc: meta.doc,
    example: meta.example,
    positional: [],
    options: [],
    arity: 'n',
    outputRank: (ranks) => Math.max(...ranks),
    infer(node, inputs) {
      if (meta.pair && inputs.length !== 2) {
        return fail(error('E-ARITY', `${meta.kind} takes exactly two tensors (the first minus the second); it is given ${inputs.length}`,
          spanOf(node), `write \`${meta.kind} [a, b]\``));
      }
      const joined = broadcast(inputs);
      if ('axisFromEnd' in joined) {
        const { a, b } = joined;
        const widths = joined.axisFromEnd === 1;
        const help = widths
          ? `${meta.kind} needs equal shapes: project ${b.origin ? `\`${b.origin.name}\`` : 'one of them'} to ${a.shape[a.shape.length - 1]} channels (e.g. \`conv ${a.shape[a.shape.length - 1]} 1\` or \`dense ${a.shape[a.shape.length - 1]}\`), or use \`concat\` to join tensors of different widths`
          : `${meta.kind} needs equal shapes (or 1 to broadcast) on every axis but the batch; bring the spatial sizes together (strides, pooling, padding=same)`;
        return mismatch(node, `${meta.kind} cannot combine ${describeInput(a)} with ${describeInput(b)}`, help, inputs);
      }
      const dtype = inputs.every((i) => i.dtype === 'int32') ? 'int32' : 'float32';
      return success(joined.shape, [], 0, { outputDtype: dtype });
    },
    targets: { tfjs: meta.tfjs, onnx: meta.onnx, torch: meta.torch },
  };
}

/** The tfjs lowering of a merge that tfjs-layers has under `factory` and needs only its name. */
export function namedMerge(factory: string): TfjsLowering {
  return (node) => ({ factory, config: { name: node.name } });
}
