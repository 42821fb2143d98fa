/**
 * A trained model on disk, one folder:
 *
 *   model.json       tfjs-layers topology, training config and weights manifest
 *   weights.bin      the weights, then the optimizer's state (so training can resume)
 *   ir.json          the IR the model was built from
 *   spec.model       the source text, when it was trained from a .model file
 *   checkpoint.json  epochs done, history, seed, data source and class names
 *
 * tfjs's own `file://` handler needs tfjs-node, so the folder is written and
 * read here with plain fs, through tf.io.withSaveHandler and a load handler.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IR } from '../ir/types.js';
import { writeDirAtomic, type DirFiles } from './atomic-dir.js';
import type { EpochRecord } from './train.js';
import type { LayersModel, TF } from './tf.js';
import { customLayers } from './custom-layers/index.js';

export interface Checkpoint {
  /** Epochs completed so far. */
  epoch: number;
  /** Epochs the run was asked for. */
  epochs: number;
  /** One record per completed epoch, across resumed runs. */
  history: EpochRecord[];
  seed?: number;
  batchSize: number;
  /** The --data spec the model was trained on. */
  data?: string;
  /** Class names by index, when the data had them. */
  classNames?: string[];
  /** How labels were encoded (onehot, sparse, binary, regression). */
  labelMode?: string;
  /** Whether weights.bin holds the optimizer's state after the model's weights. */
  optimizerState: boolean;
}

export interface SavedModel {
  model: LayersModel;
  ir: IR;
  checkpoint: Checkpoint;
  /** The .model text, when it was saved. */
  source?: string;
}

type Artifacts = Parameters<Parameters<TF['io']['withSaveHandler']>[0]>[0];

function joinWeightData(data: ArrayBuffer | ArrayBuffer[] | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  const parts = Array.isArray(data) ? data : [data];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), at);
    at += p.byteLength;
  }
  return out;
}

/** Writes the model and its companions to `dir` atomically (see atomic-dir.ts). */
export async function saveModelDir(tf: TF, model: LayersModel, dir: string, ir: IR, checkpoint: Checkpoint, source?: string): Promise<void> {
  let artifacts: Artifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer: checkpoint.optimizerState },
  );
  const a = artifacts!;
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'mlc',
    convertedBy: null,
    modelTopology: a.modelTopology,
    trainingConfig: a.trainingConfig,
    weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs ?? [] }],
  };
  const files: DirFiles = {
    'model.json': JSON.stringify(modelJson),
    'weights.bin': joinWeightData(a.weightData as ArrayBuffer | ArrayBuffer[] | undefined),
    'ir.json': JSON.stringify(ir, null, 2) + '\n',
    'checkpoint.json': JSON.stringify(checkpoint, null, 2) + '\n',
  };
  if (source !== undefined) files['spec.model'] = source;
  writeDirAtomic(dir, files);
}

/** Why a folder is not a saved model, in one line. */
export class SavedModelError extends Error {}

function readJson<T>(dir: string, name: string): T {
  const path = join(dir, name);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new SavedModelError(`${dir} is not a saved model: ${name} is missing (save one with \`mlc train SPEC -o ${dir}\`)`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new SavedModelError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Reads a folder written by saveModelDir; the model comes back compiled, with its optimizer state when saved. */
export async function loadModelDir(tf: TF, dir: string): Promise<SavedModel> {
  const modelJson = readJson<{ modelTopology: object; trainingConfig?: object; weightsManifest: { weights: unknown[] }[] }>(dir, 'model.json');
  const ir = readJson<IR>(dir, 'ir.json');
  const checkpoint = readJson<Checkpoint>(dir, 'checkpoint.json');
  let weights: Buffer;
  try {
    weights = readFileSync(join(dir, 'weights.bin'));
  } catch {
    throw new SavedModelError(`${dir} is not a saved model: weights.bin is missing`);
  }
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  const handler = {
    load: async () => ({
      modelTopology: modelJson.modelTopology,
      trainingConfig: modelJson.trainingConfig,
      weightSpecs: modelJson.weightsManifest.flatMap((m) => m.weights),
      weightData,
      format: 'layers-model',
    }),
  };
  customLayers(tf); // registers mlc's own layer classes, which a saved model may use
  const model = await tf.loadLayersModel(handler as unknown as Parameters<TF['loadLayersModel']>[0]);
  let source: string | undefined;
  try {
    source = readFileSync(join(dir, 'spec.model'), 'utf8');
  } catch {
    source = undefined;
  }
  return { model, ir, checkpoint, source };
}
