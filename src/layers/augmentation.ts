/**
 * What Keras 3's image augmentation layers share (RandomRotation, RandomZoom,
 * RandomTranslation; RandomContrast and RandomCrop use part of it): the fill
 * and interpolation options, and their inference, where they pass the image
 * through (as float32, which Keras computes them in).
 */
import type { ArgType, ParamSpec } from './types.js';
import { argError, passThrough } from './result.js';
import type { InferInput, InferResult } from './types.js';
import type { IRNode } from '../ir/types.js';
import { checkImageInput } from './window.js';
import * as onnx from '../targets/onnx/index.js';
import type { OnnxLowering } from '../targets/onnx/index.js';
import { num, str, tuple, type LowerableNode, type TfConfigValue } from '../targets/tfjs/index.js';
import { kw, lit, pyCall, type TorchLayer } from '../targets/torch/lowering.js';
import type { ArgValue } from '../ir/types.js';

type FactorArg = Extract<ArgType, { type: 'factor' }>;

/** A factor's bounds as an interval: `[-1, 1]`, `(-1, 1]`. */
export function factorBounds(arg: FactorArg): string {
  const low = arg.exclusiveMin !== undefined ? `(${arg.exclusiveMin}` : `[${arg.min ?? '-∞'}`;
  return `${low}, ${arg.max ?? '∞'}]`;
}

/**
 * A factor option of an augmentation layer: one number (whose meaning `doc`
 * gives) or a pair `[lower, upper]`, each within `bounds`, as Keras 3 takes it.
 */
export function factorParam(name: string, bounds: Omit<FactorArg, 'type'>, doc: string, extra: Partial<ParamSpec> = {}): ParamSpec {
  return { name, arg: { type: 'factor', ...bounds }, doc, ...extra };
}

/**
 * A pair factor written upper first: tf.keras 2 refuses it ("cannot have
 * upper bound less than lower bound"), Keras 3 sorts it silently, so its
 * meaning depends on the version; refused here, as the first such argument
 * of `names`.
 */
export function checkFactorOrder(node: IRNode, names: readonly string[]): InferResult | undefined {
  for (const name of names) {
    const v = node.args[name];
    if (!Array.isArray(v)) continue;
    const [lower, upper] = v as number[];
    if (lower! > upper!) {
      return argError(node, `${node.kind} ${name} [${lower}, ${upper}] has its lower bound above its upper bound`,
        `give the lower bound first: \`[${upper}, ${lower}]\``, name);
    }
  }
  return undefined;
}

/** A factor as tfjs's config holds it (mlc's layers, src/runtime/custom-layers/augment.ts): the number or the pair. */
export function factorConfig(node: LowerableNode, name: string): TfConfigValue {
  const v = node.args[name];
  return Array.isArray(v) ? tuple(node, name) : num(node, name);
}

/** KerasRandomTransform (src/targets/torch/runtime-py.ts) for `kind`, its factors read from the node. */
export function torchTransform(kind: 'rotation' | 'zoom' | 'translation', factors: (n: LowerableNode) => ArgValue[]): TorchLayer {
  return {
    wants: 'last',
    module: (n) => pyCall('KerasRandomTransform', [lit(kind), lit(factors(n)), kw('fill_mode', lit(n.args.fill_mode)),
      kw('interpolation', lit(n.args.interpolation)), kw('fill_value', lit(n.args.fill_value))]),
  };
}

/** The transforms' options, with Keras's names and defaults. */
export const transformOptions: readonly ParamSpec[] = [
  {
    name: 'fill_mode',
    arg: { type: 'enum', values: ['reflect', 'wrap', 'constant', 'nearest'] },
    default: 'reflect',
    doc: 'What fills the pixels the transform brings in from outside the image: `reflect` (mirrored about the edge), `wrap` (the opposite edge), `constant` (`fill_value`), `nearest` (the edge pixel).',
  },
  { name: 'interpolation', arg: { type: 'enum', values: ['bilinear', 'nearest'] }, default: 'bilinear', doc: 'How pixels between the input\'s are read.' },
  { name: 'fill_value', arg: { type: 'float' }, default: 0, doc: 'The value of the pixels brought in when fill_mode is `constant`.' },
];

/** The transforms' options in tfjs's camelCase, for mlc's own layers (src/runtime/custom-layers/augment.ts). */
export function transformConfig(node: LowerableNode): Record<string, TfConfigValue> {
  return { fillMode: str(node, 'fill_mode'), interpolation: str(node, 'interpolation'), fillValue: num(node, 'fill_value') };
}

/** An image in, the same shape out, as float32. */
export function inferImagePassThrough(node: IRNode, [input]: InferInput[]): InferResult {
  return checkImageInput(node, input!) ?? { ...passThrough(input!), outputDtype: 'float32' };
}

/** At inference the image passes through: an Identity (after a Cast of integer pixels). */
export const onnxInferenceIdentity: OnnxLowering = (_node, ctx) => {
  const [x] = ctx.inputs;
  if (x!.dtype === 'float32') return onnx.identity(ctx);
  return ctx.g.op('Cast', [x!.name], { to: onnx.int(1 /* FLOAT */) });
};
