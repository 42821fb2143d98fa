/**
 * A trained model on disk, one folder:
 *
 *   model.json       tfjs-layers topology, training config and weights manifest
 *   weights.bin      the weights, then the optimizer's state (so training can resume)
 *   ir.json          the IR the model was built from
 *   spec.model       the source text, when it was trained from a .model file
 *   checkpoint.json  epochs done, history, seed, data source and class names
 *   torch-optimizer.pt  the torch engine's optimizer state (PyTorch's own format), when it trained the model
 *
 * tfjs's own `file://` handler needs tfjs-node, so the folder is written and
 * read here with plain fs, through tf.io.withSaveHandler and a load handler.
 */
import { DiagnosticError, error } from '../diagnostics/diagnostic.js';
import { accessSync, constants as fsConstants, lstatSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { escapeControl } from '../diagnostics/render.js';
import { compileIRJson } from '../ir/pipeline.js';
import type { IR } from '../ir/types.js';
import { buildModel, finishLayers } from './model.js';
import { recoverDir, writeDirAtomic, type DirFiles } from './atomic-dir.js';
import { readRegularFile, UnreadableFileError } from './data/files.js';
import type { EpochRecord } from './train.js';
import type { LayersModel, TF } from './tf.js';
import { customLayers } from './custom-layers/index.js';
import { TORCH_OPTIMIZER_FILE } from '../targets/torch/runtime-py.js';

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
  /** The CSV column that held the labels, when the data was a CSV file. */
  labelColumn?: string;
  /** The CSV column or JSON field that held the sample weights (`--sample-weight`): not an input. */
  sampleWeight?: string;
  /** Whether the model was trained to reproduce its input (`--reconstruct`): its targets are its inputs. */
  reconstruct?: boolean;
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

/** The files of a saved model; a folder holding anything else is not one, and mlc never replaces it. */
const SAVE_FILES = new Set(['model.json', 'weights.bin', 'ir.json', 'spec.model', 'checkpoint.json', TORCH_OPTIMIZER_FILE]);

function entriesOf(dir: string): string[] | undefined {
  try {
    return lstatSync(dir).isDirectory() ? readdirSync(dir) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `dir` is a folder mlc wrote with `train -o`: only save files, and a model.json marked as mlc's. */
export function isSavedModelDir(dir: string): boolean {
  const entries = entriesOf(dir);
  if (!entries || !entries.includes('model.json') || !entries.every((e) => SAVE_FILES.has(e))) return false;
  try {
    return (JSON.parse(readRegularFile(join(dir, 'model.json')).toString('utf8')) as { generatedBy?: unknown })?.generatedBy === 'mlc';
  } catch {
    return false;
  }
}

/** A killed save's temporary folder: nothing but save files, possibly some missing. */
function isPartialSave(dir: string): boolean {
  return entriesOf(dir)?.every((e) => SAVE_FILES.has(e)) ?? false;
}

const OWNED = { previous: isSavedModelDir, partial: isPartialSave };

/** Puts back a save left under its old name by a killed `train`, and removes killed saves' temporary folders. */
export function recoverSave(dir: string): void {
  try {
    recoverDir(dir, OWNED);
  } catch {
    // Recovery is best effort: whatever it could not do is left as it was, for the user to see.
  }
}

/** What is at `path`, for an error message: "a file of 12 bytes", "a folder with 2 entries (a.txt, b)". */
function describePath(path: string): string {
  const st = lstatSync(path);
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isFile()) return `a file of ${st.size} byte${st.size === 1 ? '' : 's'}`;
  if (st.isDirectory()) {
    const entries = readdirSync(path).sort();
    const shown = entries.slice(0, 3).map(escapeControl).join(', ') + (entries.length > 3 ? ', ...' : '');
    return entries.length === 0 ? 'an empty folder' : `a folder with ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} (${shown})`;
  }
  return 'not a file or folder';
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function freshName(dir: string): string {
  for (let i = 1; ; i++) if (!exists(`${dir}-${i}`)) return `${dir}-${i}`;
}

/** Why a folder cannot be created at `dir` (a file in the way, no permission), or undefined when it can. */
function whyNotCreatable(dir: string): string | undefined {
  let ancestor = dirname(resolve(dir));
  while (!exists(ancestor)) ancestor = dirname(ancestor);
  let st;
  try {
    st = statSync(ancestor);
  } catch {
    return `${ancestor} cannot be read`;
  }
  if (!st.isDirectory()) return `${ancestor} is a file, so no folder can be made under it`;
  try {
    accessSync(ancestor, fsConstants.W_OK | fsConstants.X_OK);
  } catch {
    return `the folder ${ancestor} is not writable`;
  }
  return undefined;
}

/**
 * Checks, before any training, that a model can be saved at `dir`: mlc
 * creates it, or replaces a save of its own there when `force` is given (or
 * when `dir` is the save being resumed). Anything else there is never touched.
 */
export function checkSaveTarget(dir: string, opts: { force?: boolean; resuming?: string } = {}): void {
  recoverSave(dir);
  const flag = `-o ${dir}`;
  if (!exists(dir)) {
    const why = whyNotCreatable(dir);
    if (why) throw new SavedModelError(`cannot save to ${dir}: ${why}`, 'choose an output folder in a writable place');
    return;
  }
  const why = whyNotCreatable(dir);
  if (why) throw new SavedModelError(`cannot save to ${dir}: ${why}`, 'choose an output folder in a writable place');
  const isEmptyFolder = entriesOf(dir)?.length === 0;
  if (isEmptyFolder) return;
  if (!isSavedModelDir(dir)) {
    throw new SavedModelError(`${flag}: ${dir} is ${describePath(dir)}, not a model saved by mlc; it is left untouched`,
      `choose a new name, e.g. \`-o ${freshName(dir)}\` (--force replaces only a model saved by mlc)`);
  }
  const sameAsResumed = opts.resuming !== undefined && resolve(opts.resuming) === resolve(dir);
  if (!opts.force && !sameAsResumed) {
    throw new SavedModelError(`${flag}: ${dir} already holds a saved model`,
      `add --force to replace it, \`--resume ${dir}\` to train it further, or choose a new name, e.g. \`-o ${freshName(dir)}\``);
  }
}

/**
 * Writes the model and its companions to `dir` atomically (see atomic-dir.ts);
 * torchOptimizer: the torch engine's optimizer state, saved with them.
 */
export async function saveModelDir(
  tf: TF, model: LayersModel, dir: string, ir: IR, checkpoint: Checkpoint, source?: string, torchOptimizer?: Uint8Array,
): Promise<void> {
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
  if (torchOptimizer !== undefined) files[TORCH_OPTIMIZER_FILE] = torchOptimizer;
  recoverSave(dir);
  try {
    writeDirAtomic(dir, files, (d) => isSavedModelDir(d) || entriesOf(d)?.length === 0);
  } catch (e) {
    throw new SavedModelError(`cannot save the model to ${dir}: ${(e as Error).message}`, 'free some space or choose another output folder with -o');
  }
}

/** Why a folder is not a saved model (or cannot become one), in one line, with how to fix it. */
/** A save that cannot be read or written, as a diagnostic about the save (rendered like every other). */
export class SavedModelError extends DiagnosticError {
  constructor(message: string, readonly help?: string) {
    super(error('E-SAVE', message, undefined, help));
  }
}

function readSaveFile(dir: string, name: string): Buffer {
  try {
    return readRegularFile(join(dir, name));
  } catch (e) {
    const reason = (e as UnreadableFileError).reason;
    if (reason === 'no such file or folder') {
      throw new SavedModelError(`${dir} is not a saved model: ${name} is missing`, `save one with \`mlc train SPEC -o ${dir}\``);
    }
    throw new SavedModelError(`${join(dir, name)} cannot be read: ${reason}`, 'train the model again to write a complete save');
  }
}

const DAMAGED_HELP = 'the save is damaged or was edited; train the model again (`mlc train SPEC -o DIR`)';

function damaged(dir: string, name: string, what: string): SavedModelError {
  return new SavedModelError(`${join(dir, name)} ${what}`, DAMAGED_HELP);
}

function readJsonObject(dir: string, name: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(readSaveFile(dir, name).toString('utf8'));
  } catch (e) {
    if (e instanceof SavedModelError) throw e;
    throw damaged(dir, name, `is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw damaged(dir, name, 'does not hold a JSON object');
  return value as Record<string, unknown>;
}

const isCount = (v: unknown, min: number) => typeof v === 'number' && Number.isInteger(v) && v >= min;

/** The checkpoint's fields, each checked: a batch size of 0 would make evaluation loop forever. */
function checkCheckpoint(dir: string, c: Record<string, unknown>): Checkpoint {
  const bad = (field: string, want: string) => damaged(dir, 'checkpoint.json', `has a bad \`${field}\`: expected ${want}, got ${escapeControl(JSON.stringify(c[field]) ?? 'nothing')}`);
  if (!isCount(c.epoch, 0)) throw bad('epoch', 'a whole number ≥ 0');
  if (!isCount(c.epochs, 1)) throw bad('epochs', 'a whole number ≥ 1');
  if (!isCount(c.batchSize, 1)) throw bad('batchSize', 'a whole number ≥ 1');
  if (!Array.isArray(c.history)) throw bad('history', 'a list of epoch records');
  if (c.seed !== undefined && !isCount(c.seed, 0)) throw bad('seed', 'a whole number ≥ 0');
  if (c.data !== undefined && typeof c.data !== 'string') throw bad('data', 'a data spec such as `mnist`');
  if (c.classNames !== undefined && !(Array.isArray(c.classNames) && c.classNames.every((n) => typeof n === 'string'))) throw bad('classNames', 'a list of names');
  if (c.labelColumn !== undefined && typeof c.labelColumn !== 'string') throw bad('labelColumn', 'a column name');
  if (c.sampleWeight !== undefined && typeof c.sampleWeight !== 'string') throw bad('sampleWeight', 'a column or field name');
  if (c.reconstruct !== undefined && typeof c.reconstruct !== 'boolean') throw bad('reconstruct', 'true or false');
  if (c.labelMode !== undefined && !['onehot', 'sparse', 'binary', 'regression'].includes(c.labelMode as string)) throw bad('labelMode', 'onehot, sparse, binary or regression');
  if (typeof c.optimizerState !== 'boolean') throw bad('optimizerState', 'true or false');
  return c as unknown as Checkpoint;
}

/** The saved IR, validated and checked as `mlc check` would check an IR file. */
function checkIR(dir: string, text: string): IR {
  const result = compileIRJson(text, join(dir, 'ir.json'));
  const first = result.diagnostics.find((d) => d.severity === 'error');
  if (first || !result.ir) throw damaged(dir, 'ir.json', `is not a valid model: ${first?.message ?? 'no model in it'}`);
  return result.ir;
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4 };

/** The manifest's weights, and the bytes they take in weights.bin. */
function checkManifest(dir: string, modelJson: Record<string, unknown>): { specs: WeightSpec[]; bytes: number } {
  const manifest = modelJson.weightsManifest;
  if (typeof modelJson.modelTopology !== 'object' || modelJson.modelTopology === null) throw damaged(dir, 'model.json', 'has no model topology');
  if (!Array.isArray(manifest) || !manifest.every((m) => typeof m === 'object' && m !== null && Array.isArray((m as { weights?: unknown }).weights))) {
    throw damaged(dir, 'model.json', 'has no weights manifest');
  }
  const specs = manifest.flatMap((m) => (m as { weights: unknown[] }).weights) as WeightSpec[];
  let bytes = 0;
  for (const w of specs) {
    const ok = typeof w === 'object' && w !== null && typeof w.name === 'string' && Array.isArray(w.shape) &&
      w.shape.every((d) => isCount(d, 0)) && BYTES_PER_ELEMENT[w.dtype] !== undefined;
    if (!ok) throw damaged(dir, 'model.json', `has a malformed weight entry: ${escapeControl(JSON.stringify(w)).slice(0, 120)}`);
    bytes += w.shape.reduce((p, d) => p * d, 1) * BYTES_PER_ELEMENT[w.dtype];
  }
  return { specs, bytes };
}

/** A topology's layers and their wiring, without the initializers (which depend on the seed, not on the model). */
function layerConfigs(topology: unknown): string {
  const layers = (topology as { config?: { layers?: unknown } })?.config?.layers;
  if (!Array.isArray(layers)) return 'none';
  // Initializers and seeds (dropout's, mlc's own layers') depend on the run's seed, not on the model.
  return JSON.stringify(layers, (key, value: unknown) => (key.endsWith('_initializer') || key === 'seed' ? undefined : value));
}

/** Reads a folder written by saveModelDir, checking every part; the model comes back compiled, with its optimizer state when saved. */
export async function loadModelDir(tf: TF, dir: string): Promise<SavedModel> {
  recoverSave(dir);
  if (!exists(dir)) throw new SavedModelError(`${dir} does not exist`, 'name a folder written by `mlc train SPEC -o DIR`');
  if (!statSync(dir).isDirectory()) throw new SavedModelError(`${dir} is ${describePath(dir)}, not a saved model`, 'name a folder written by `mlc train SPEC -o DIR`');
  const modelJson = readJsonObject(dir, 'model.json');
  const irText = readSaveFile(dir, 'ir.json').toString('utf8');
  const checkpoint = checkCheckpoint(dir, readJsonObject(dir, 'checkpoint.json'));
  const ir = checkIR(dir, irText);
  const manifest = checkManifest(dir, modelJson);
  const weightsPath = join(dir, 'weights.bin');
  let size: number;
  try {
    size = statSync(weightsPath).size;
  } catch {
    size = -1;
  }
  // Checked before reading: a weights.bin that is a link to a device or a huge file is never read.
  if (size >= 0 && size !== manifest.bytes && statSync(weightsPath).isFile()) {
    throw damaged(dir, 'weights.bin', `holds ${size} bytes, but model.json's manifest lists ${manifest.bytes}`);
  }
  const weights = readSaveFile(dir, 'weights.bin');
  if (weights.length !== manifest.bytes) throw damaged(dir, 'weights.bin', `holds ${weights.length} bytes, but model.json's manifest lists ${manifest.bytes}`);

  // model.json must describe the model ir.json describes: a hand-edited one would be used silently otherwise.
  const fromIR = buildModel(tf, ir);
  let expected: string;
  try {
    expected = layerConfigs(fromIR.toJSON(null, false));
  } finally {
    fromIR.dispose();
  }
  if (layerConfigs(modelJson.modelTopology) !== expected) {
    throw damaged(dir, 'model.json', 'describes a different model than ir.json');
  }

  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  const handler = {
    load: async () => ({
      modelTopology: modelJson.modelTopology,
      trainingConfig: modelJson.trainingConfig,
      weightSpecs: manifest.specs,
      weightData,
      format: 'layers-model',
    }),
  };
  customLayers(tf); // registers mlc's own layer classes, which a saved model may use
  let model: LayersModel;
  try {
    model = await tf.loadLayersModel(handler as unknown as Parameters<TF['loadLayersModel']>[0]);
    finishLayers(tf, model, ir);
  } catch (e) {
    throw damaged(dir, 'model.json', `cannot be loaded: ${(e as Error).message}`);
  }
  let source: string | undefined;
  try {
    source = readRegularFile(join(dir, 'spec.model')).toString('utf8');
  } catch {
    source = undefined;
  }
  return { model, ir, checkpoint, source };
}
