/**
 * The registry of layer kinds: one definition per file in this folder. The
 * schema, the language reference, the grammar docs, the runtime and the
 * emitters all read the kinds from here.
 */
import { activation } from './activation.js';
import { avgpool1d } from './avgpool1d.js';
import { avgpool2d } from './avgpool2d.js';
import { batchnorm } from './batchnorm.js';
import { bidirectional } from './bidirectional.js';
import { conv1d } from './conv1d.js';
import { conv2d } from './conv2d.js';
import { dense } from './dense.js';
import { dropout } from './dropout.js';
import { embedding } from './embedding.js';
import { flatten } from './flatten.js';
import { globalavgpool } from './globalavgpool.js';
import { globalmaxpool } from './globalmaxpool.js';
import { gru } from './gru.js';
import { layernorm } from './layernorm.js';
import { lstm } from './lstm.js';
import { maxpool1d } from './maxpool1d.js';
import { maxpool2d } from './maxpool2d.js';
import { reshape } from './reshape.js';
import { simplernn } from './simplernn.js';
import type { LayerDef } from './types.js';
import { upsample } from './upsample.js';
import { add } from './add.js';
import { subtract } from './subtract.js';
import { multiply } from './multiply.js';
import { average } from './average.js';
import { maximum } from './maximum.js';
import { minimum } from './minimum.js';
import { concat } from './concat.js';
import { dot } from './dot.js';
import { zeropadding2d } from './zeropadding2d.js';
import { elu } from './elu.js';
import { conv2dtranspose } from './conv2dtranspose.js';
import { conv1dtranspose } from './conv1dtranspose.js';
import { depthwiseconv2d, separableconv2d } from './depthwise.js';
import { leakyrelu } from './leakyrelu.js';
import { prelu } from './prelu.js';
import { relu } from './relu.js';
import { softmax } from './softmax.js';
import { gaussiandropout, gaussiannoise, spatialdropout1d, spatialdropout2d } from './noise.js';
import { randomflip } from './randomflip.js';
import { randomrotation } from './randomrotation.js';
import { randomzoom } from './randomzoom.js';
import { randomtranslation } from './randomtranslation.js';
import { randomcontrast } from './randomcontrast.js';
import { randomcrop } from './randomcrop.js';
import { repeatvector } from './repeatvector.js';
import { permute } from './permute.js';
import { rescaling } from './rescaling.js';
import { normalization } from './normalization.js';
import { cropping2d } from './cropping2d.js';
import { cropping1d, upsampling1d, zeropadding1d } from './sequence1d.js';

/** Every kind by its canonical name, in the order of DSL.md's tables (v1, then v2's merges). */
export const LAYERS = {
  dense, conv2d, conv1d, maxpool2d, avgpool2d, maxpool1d, avgpool1d, globalmaxpool, globalavgpool,
  flatten, dropout, batchnorm, layernorm, activation, embedding, simplernn, lstm, gru, bidirectional,
  reshape, upsample, zeropadding2d,
  add, subtract, multiply, average, maximum, minimum, concat, dot,
  leakyrelu, prelu, relu, softmax, elu,
  conv2dtranspose, conv1dtranspose, separableconv2d, depthwiseconv2d,
  zeropadding1d, cropping1d, cropping2d, upsampling1d, repeatvector, permute, rescaling, normalization,
  spatialdropout1d, spatialdropout2d, gaussiannoise, gaussiandropout, randomflip,
  randomrotation, randomzoom, randomtranslation, randomcontrast, randomcrop,
} satisfies Record<string, LayerDef>;

export type LayerKind = keyof typeof LAYERS;

export const LAYER_DEFS: readonly LayerDef[] = Object.values(LAYERS);

for (const [key, def] of Object.entries(LAYERS)) {
  // The registry's key is how the IR names the kind; a mismatch would make a kind unreachable.
  if (def.kind !== key) throw new Error(`layer registry: key \`${key}\` holds kind \`${def.kind}\``);
}

const BY_NAME = new Map<string, LayerDef>();
for (const def of LAYER_DEFS) {
  for (const name of [def.kind, ...def.aliases]) BY_NAME.set(name, def);
}

/** The definition for a kind or one of its aliases, or undefined. */
export function findLayer(name: string): LayerDef | undefined {
  return BY_NAME.get(name);
}

/** Every name (kinds and aliases) the language accepts, for "did you mean" suggestions. */
export function layerNames(): string[] {
  return [...BY_NAME.keys()];
}

export { formatShape, formatDims } from './shape.js';
export type { InferInput, InferResult, LayerDef, ParamSpec, ArgType } from './types.js';
