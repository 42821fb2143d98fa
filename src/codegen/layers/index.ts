/**
 * Every layer kind's codegen template, keyed by the IR kind. A test checks
 * that each kind in LAYER_DEFS (src/ir/layers) has an entry here.
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
import type { LayerTemplate } from './types.js';
import { upsample } from './upsample.js';

export const TEMPLATES: Readonly<Record<string, LayerTemplate>> = {
  dense, conv2d, conv1d, maxpool2d, avgpool2d, maxpool1d, avgpool1d, globalmaxpool, globalavgpool,
  flatten, dropout, batchnorm, layernorm, activation, embedding, simplernn, lstm, gru, bidirectional,
  reshape, upsample,
};

export type { LayerTemplate } from './types.js';
