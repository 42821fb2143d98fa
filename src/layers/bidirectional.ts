import type { Span } from '../diagnostics/diagnostic.js';
import type { ArgValue, IRNode } from '../ir/types.js';
import { gru } from './gru.js';
import { lstm } from './lstm.js';
import { argError, success, weight } from './result.js';
import { simplernn } from './simplernn.js';
import type { LayerDef } from './types.js';
import { str, type LowerableNode } from '../targets/tfjs/index.js';
import * as onnx from '../targets/onnx/index.js';
import { kw, lastDim, lit, pyCall, recurrentArgs } from '../targets/torch/lowering.js';

const RECURRENT: readonly LayerDef[] = [simplernn, lstm, gru];

/** The wrapped layer as the IR holds it under `args.layer`. */
interface InnerLayer {
  kind: string;
  kerasClass: string;
  name: string;
  args: Record<string, ArgValue>;
}

export const bidirectional: LayerDef = {
  kind: 'bidirectional',
  aliases: [],
  kerasClass: 'Bidirectional',
  doc: 'Runs a recurrent layer forwards and a copy backwards over the sequence and merges their outputs.',
  example: 'bidirectional lstm 64 return_sequences=true',
  positional: [
    {
      name: 'layer',
      arg: { type: 'layer', kinds: RECURRENT.map((d) => d.kind) },
      doc: 'The recurrent layer to run both ways, written as usual: `lstm 64`, `gru 32 relu`.',
    },
  ],
  options: [
    {
      name: 'merge_mode',
      arg: { type: 'enum', values: ['concat', 'sum', 'mul', 'ave'] },
      default: 'concat',
      doc: 'How the two directions combine: `concat` doubles the feature size; `sum`, `mul`, `ave` keep it.',
    },
  ],
  arity: 1,
  outputRank: (ranks, args) => {
    const inner = RECURRENT.find((d) => d.kind === (args.layer as unknown as InnerLayer | undefined)?.kind);
    return inner?.outputRank?.(ranks, (args.layer as unknown as InnerLayer).args) ?? ranks[0];
  },
  infer(node, inputs) {
    const inner = node.args.layer as unknown as InnerLayer;
    const def = RECURRENT.find((d) => d.kind === inner?.kind);
    if (!def) {
      return argError(node, `bidirectional wraps a recurrent layer (${RECURRENT.map((d) => d.kind).join(', ')}); got \`${inner?.kind}\``,
        'write e.g. `bidirectional lstm 64`', 'layer');
    }
    const innerName = inner.name || def.kind; // the lowering may leave it for naming to fill
    const innerNode: IRNode = {
      ...node,
      id: `${node.id}/${innerName}`,
      kind: def.kind,
      kerasClass: def.kerasClass,
      name: innerName,
      args: inner.args,
      argSpans: innerArgSpans(node),
    };
    const one = def.infer(innerNode, inputs);
    if (!one.ok) return one;
    const outputShape = [...one.outputShape];
    if (node.args.merge_mode === 'concat') outputShape[outputShape.length - 1] = 2 * (outputShape[outputShape.length - 1] as number);
    // Keras's order: every forward weight, then every backward one.
    const weights = ['forward', 'backward'].flatMap((dir) =>
      one.weights.map((w) => weight(`${dir}_${innerName}/${w.name}`, w.shape, w.trainable)));
    return success(outputShape, weights, 2 * one.macs);
  },
  targets: {
    torch: {
      wants: 'last',
      module: (n, ctx) => {
        const inner = n.args.layer as { kind: string; args: Record<string, ArgValue> };
        const one = pyCall('KerasRecurrent', recurrentArgs(inner.kind, inner.args, lastDim(ctx)));
        return pyCall('KerasBidirectional', [one, one, kw('merge_mode', lit(n.args.merge_mode))]);
      },
    },
    // tfjs builds the backward copy itself; the inner layer is lowered by its own definition.
    tfjs: (node, ctx) => {
      const inner = node.args.layer as unknown as InnerLayer;
      const def = RECURRENT.find((d) => d.kind === inner.kind)!;
      const wrapped: LowerableNode = { ...inner, span: node.span };
      return { factory: 'bidirectional', config: { layer: def.targets.tfjs(wrapped, ctx), mergeMode: str(node, 'merge_mode'), name: node.name } };
    },
    // One ONNX op runs both directions; the inner layer's weights are under forward_NAME/ and backward_NAME/.
    onnx: (node, ctx) => {
      const inner = node.args.layer as unknown as InnerLayer;
      const cell: onnx.OnnxLowerableNode = { ...inner, name: inner.name || inner.kind, span: node.span, argSpans: innerArgSpans(node as IRNode) };
      return onnx.recurrentOnnx(cell, ctx, { mergeMode: String(node.args.merge_mode), node });
    },
  },
};

/** The lowering records where the inner layer's arguments were written as `layer/args/NAME`. */
function innerArgSpans(node: IRNode): Record<string, Span> {
  const prefix = 'layer/args/';
  const spans: Record<string, Span> = {};
  for (const [key, span] of Object.entries(node.argSpans ?? {})) {
    if (key.startsWith(prefix)) spans[key.slice(prefix.length)] = span;
  }
  return spans;
}
