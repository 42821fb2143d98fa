/**
 * The fit section as code: train() loads the data with the same loaders as
 * `mlc train` (copied next to the module, see ./support-files.ts), fits the
 * model with tfjs's model.fit (or, with sample weights, which model.fit does
 * not take, with the copied fitWithSampleWeights), logs each epoch and saves
 * the result; main() is its command line. Nothing here runs when the module
 * is imported.
 */
import type { IR } from '../ir/types.js';
import { FIT_OPTIONS } from '../ir/training.js';
import { adaptsToData } from '../runtime/adapt.js';
import { callbackConfigs, lowerOptimizer } from '../runtime/compile-config.js';
import type { ModelDataRequest } from './data-request.js';
import { printValue } from './literal.js';
import type { TfConfigValue } from '../targets/tfjs/index.js';

/** Plain config data (schedules, callback configs) printed as a literal. */
const printData = (v: unknown): string => printValue(v as TfConfigValue);
import type { SourceComments } from './source-comments.js';
import { DATA_HELPERS_DIR, FIT_HELPERS_DIR } from './support-files.js';

function fitDefault(name: string): unknown {
  return FIT_OPTIONS.find((o) => o.name === name)?.default;
}

/** The fit section with Keras's defaults for what the spec leaves out, in tfjs's camelCase. */
function fitConstant(ir: IR): string {
  const fit = ir.fit;
  const config = {
    epochs: fit?.epochs ?? (fitDefault('epochs') as number),
    batchSize: fit?.batch_size ?? (fitDefault('batch_size') as number),
    validationSplit: fit?.validation_split ?? (fitDefault('validation_split') as number),
    shuffle: fit?.shuffle ?? (fitDefault('shuffle') as boolean),
    ...(fit?.seed === undefined ? {} : { seed: fit.seed }),
  };
  return printValue(config);
}

/** Whether the fit section asks for more than epochs and batches: a learning-rate schedule, callbacks or class weights. */
function usesFitOptions(ir: IR): boolean {
  return scheduleOf(ir) !== undefined || (ir.fit?.callbacks?.length ?? 0) > 0 || ir.fit?.class_weight !== undefined;
}

function scheduleOf(ir: IR) {
  return ir.compile ? lowerOptimizer(ir.compile).schedule : undefined;
}

/**
 * `pathNames`: more names the module needs from `node:path`, so it imports
 * that module once. ./mlc-fit/ is imported always: it trains with sample
 * weights, which any run may be given.
 */
export function importsForTraining(pathNames: readonly string[] = []): string[] {
  return [
    "import { mkdirSync, writeFileSync } from 'node:fs';",
    `import { ${[...new Set(['join', ...pathNames])].sort().join(', ')} } from 'node:path';`,
    "import { fileURLToPath, pathToFileURL } from 'node:url';",
    "import { parseArgs } from 'node:util';",
    `import { DataError, loadData, type DataRequest, type Dataset, type Split } from './${DATA_HELPERS_DIR}/index.js';`,
    `import * as mlcFit from './${FIT_HELPERS_DIR}/index.js';`,
  ];
}

/**
 * The folder the emitted program saves to by default: the model's name made
 * a plain folder name (an IR file's name could be `../../x` or `/etc`).
 */
export function defaultSaveDir(modelName: string): string {
  const plain = modelName.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^[_-]+|_+$/g, '');
  return plain === '' ? 'model' : `${plain}-model`;
}

/**
 * The fit section's schedule, callbacks and class weights as code: constants
 * for the configs, fitCallbacks() (the `callbacks` expression), and
 * classWeightOf() / sampleWeightsOf() for model.fit and for training with
 * sample weights. Plain logging callbacks when the spec has none of them.
 */
function fitOptionsCode(ir: IR): { constants: string; callbacks: string; classWeights: boolean; saveAtEnd: string } {
  if (!usesFitOptions(ir)) {
    return {
      constants: '',
      callbacks: '{\n onEpochEnd: (epoch, logs) => log(`epoch ${epoch + 1}/${epochs}: ${formatLogs(withMlcNames(model, logs))}`),\n}',
      classWeights: false,
      saveAtEnd: 'options.saveTo !== undefined',
    };
  }
  const schedule = scheduleOf(ir);
  const configs = callbackConfigs(ir.fit);
  const classWeight = ir.fit?.class_weight;
  const constants: string[] = [];
  if (schedule) constants.push(`/** The optimizer's learning-rate schedule (Keras's ${schedule.name}), a function of the step: batches trained so far. */\nconst SCHEDULE: mlcFit.ScheduleConfig = ${printData(schedule)};`);
  if (configs.earlyStopping) constants.push(`/** early_stopping, with its mode resolved (${configs.earlyStopping.direction}: ${configs.earlyStopping.direction === 'max' ? 'higher' : 'lower'} is better). */\nconst EARLY_STOPPING: mlcFit.EarlyStoppingConfig = ${printData(configs.earlyStopping)};`);
  if (configs.checkpoint) constants.push(`/** model_checkpoint: which epochs are saved to \`saveTo\`. */\nconst MODEL_CHECKPOINT: mlcFit.CheckpointConfig = ${printData(configs.checkpoint)};`);
  if (configs.reduceLrOnPlateau) constants.push(`/** reduce_lr_on_plateau, with its mode resolved. */\nconst REDUCE_LR_ON_PLATEAU: mlcFit.PlateauConfig = ${printData(configs.reduceLrOnPlateau)};`);
  if (classWeight !== undefined) constants.push(`/** class_weight: ${classWeight === 'balanced' ? "`balanced` (n_samples / (n_classes * count of the class))" : 'a weight per class index'}. */\nconst CLASS_WEIGHT: mlcFit.ClassWeight = ${printData(classWeight)};`);
  const records = schedule !== undefined || configs.reduceLrOnPlateau !== undefined;
  const fn = `
/**
 * model.fit's callbacks for the fit section: ${[schedule && 'the schedule sets the learning rate before every batch', configs.reduceLrOnPlateau && 'reduce_lr_on_plateau', configs.earlyStopping && 'early_stopping', configs.checkpoint && 'model_checkpoint'].filter(Boolean).join(', ')}.
 * The decisions come from ./${FIT_HELPERS_DIR}/, the same code \`mlc train\` runs.
 */
function fitCallbacks(model: tf.LayersModel, epochs: number, log: (line: string) => void, saveTo: string | undefined): tf.CustomCallbackArgs {
${schedule ? '  let step = 0;\n' : ''}${configs.earlyStopping ? '  const earlyStopping = new mlcFit.EarlyStopping(EARLY_STOPPING);\n  let bestWeights: tf.Tensor[] | undefined;\n' : ''}${configs.checkpoint ? '  const checkpoint = new mlcFit.ModelCheckpoint(MODEL_CHECKPOINT);\n' : ''}${configs.reduceLrOnPlateau ? '  const plateau = new mlcFit.ReduceLROnPlateau(REDUCE_LR_ON_PLATEAU);\n' : ''}  return {
${schedule ? '    onBatchBegin: async () => {\n      mlcFit.setLearningRate(model.optimizer, mlcFit.learningRateAt(SCHEDULE, step));\n      step += 1;\n    },\n' : ''}    onEpochEnd: async (epoch, tfLogs) => {
      const logs = withMlcNames(model, tfLogs);
${records ? `      logs.learning_rate = ${schedule ? 'mlcFit.learningRateAt(SCHEDULE, step)' : 'mlcFit.learningRateOf(model.optimizer)'};\n` : ''}      log(\`epoch \${epoch + 1}/\${epochs}: \${formatLogs(logs)}\`);
${configs.reduceLrOnPlateau ? '      mlcFit.setLearningRate(model.optimizer, plateau.onEpochEnd(epoch, logs, mlcFit.learningRateOf(model.optimizer)));\n' : ''}${configs.earlyStopping ? `      const decision = earlyStopping.onEpochEnd(epoch, logs);
      if (decision.keepWeights) {
        bestWeights?.forEach((w) => w.dispose());
        bestWeights = model.getWeights().map((w) => w.clone());
      }
      if (decision.stop) {
        model.stopTraining = true;
        log(\`early_stopping: stopped after epoch \${epoch + 1}\`);
      }
` : ''}${configs.checkpoint ? `      if (saveTo !== undefined && checkpoint.onEpochEnd(epoch, logs)) {
        await saveModel(model, saveTo);
        log(\`model_checkpoint: saved epoch \${epoch + 1} to \${saveTo}\`);
      }
` : ''}    },
${configs.earlyStopping ? `    onTrainEnd: async () => {
      if (earlyStopping.restores && bestWeights !== undefined) {
        model.setWeights(bestWeights);
        log(\`early_stopping: restored the weights of epoch \${earlyStopping.bestEpoch + 1}, the best \${EARLY_STOPPING.monitor}\`);
      }
      bestWeights?.forEach((w) => w.dispose());
    },
` : ''}  };
}
${classWeight !== undefined ? `
/** tfjs's classWeight for the training labels: every class that occurs, weighted by CLASS_WEIGHT (classes it leaves out weigh 1). */
function classWeightOf(split: Split): Record<number, number> {
  return Object.fromEntries(mlcFit.classWeightTable(CLASS_WEIGHT, mlcFit.classesOf(split.y, split.count)));
}

/** Each sample's weight from the data times its class's weight, as Keras multiplies sample_weight and class_weight; undefined without weights in the data. */
function sampleWeightsOf(split: Split): Float32Array | undefined {
  if (split.weights === undefined) return undefined;
  const perClass = mlcFit.sampleWeightsFromClasses(CLASS_WEIGHT, split.y, split.count);
  return split.weights.map((w, i) => w * perClass[i]);
}
` : ''}`;
  return {
    constants: constants.join('\n\n') + '\n' + fn,
    callbacks: 'fitCallbacks(model, epochs, log, options.saveTo)',
    classWeights: classWeight !== undefined,
    // model_checkpoint chose what saveTo holds.
    saveAtEnd: configs.checkpoint ? 'false' : 'options.saveTo !== undefined',
  };
}

/**
 * `backendSetup`: a statement train() runs first, to put TensorFlow.js on the
 * target's backend (see ./backend-section.ts). `defaultSampleWeight`: the
 * column of `defaultData` holding the sample weights (`mlc emit --sample-weight`).
 */
export function trainSection(
  ir: IR,
  request: ModelDataRequest,
  defaultData: string | undefined,
  comments: SourceComments,
  backendSetup: string,
  metricNames: readonly string[],
  reconstructs?: 'by-default' | 'on-request',
  defaultSampleWeight?: string,
): string {
  const seed = ir.fit?.seed;
  // An autoencoder's targets are its inputs (\`mlc train --reconstruct\`); only models that can be one get the code for it.
  const r = reconstructs !== undefined;
  const saveDir = defaultSaveDir(ir.name);
  const fitOptions = fitOptionsCode(ir);
  return `
/**
 * The spec's fit section.${seed === undefined ? '' : ` Its seed (${seed}) is built into buildModel()'s initializers, so every run starts
 * from the same weights; model.fit's shuffling is not seeded in TensorFlow.js, training with sample weights
 * shuffles in \`mlc train --seed\`'s order.`}
 */
${comments.above(ir.fit?.span)}export const FIT = ${fitConstant(ir)};

${fitOptions.constants}
/** What the data loaders need to know about this model's input and output. */
const DATA: Omit<DataRequest, 'spec' | 'limit' | 'labelColumn'> = ${printValue(request)};

${r ? `/** Whether train() fits the output to reproduce the input (an autoencoder, Keras's fit(x, x)) unless told otherwise${reconstructs === 'by-default' ? ': the output has the input\'s shape and takes no per-sample label' : ''}. */
const RECONSTRUCT = ${reconstructs === 'by-default'};

` : ''}/** The data trained on when none is given${defaultData === undefined ? ': none, this model needs \`--data\`' : '; a path in it is relative to this file'}. */
export const DEFAULT_DATA: string | undefined = ${defaultData === undefined ? 'undefined' : printValue(defaultData)};
${defaultSampleWeight === undefined ? '' : `
/** The column of DEFAULT_DATA holding each sample's weight in the loss, used when train() is given neither data nor sampleWeight. */
const DEFAULT_SAMPLE_WEIGHT = ${printValue(defaultSampleWeight)};
`}
/** DEFAULT_DATA with its path resolved against this file's folder, so the program runs from any folder. */
function defaultDataHere(): string | undefined {
  const colon = DEFAULT_DATA?.indexOf(':') ?? -1;
  if (DEFAULT_DATA === undefined || colon < 0) return DEFAULT_DATA;
  const here = dirname(fileURLToPath(import.meta.url));
  return \`\${DEFAULT_DATA.slice(0, colon)}:\${resolve(here, DEFAULT_DATA.slice(colon + 1))}\`;
}

/** The names \`mlc train\` reports the compiled metrics by, in compile order (TensorFlow.js logs \`accuracy\` as \`acc\`). */
const METRIC_NAMES: readonly string[] = ${printValue([...metricNames])};

export interface TrainOptions {
  /** mnist, idx:DIR, csv:FILE, images:DIR or json:FILE (default: DEFAULT_DATA). */
  data?: string;
  /** Train on the first N samples only, for a quick run. */
  limit?: number;
  /** csv: the label column (default: the last one). */
  labelColumn?: string;
  /** csv: the column holding each sample's weight in the loss (Keras's sample_weight); not a feature.${defaultSampleWeight === undefined ? '' : ' Default, for DEFAULT_DATA: DEFAULT_SAMPLE_WEIGHT.'} */
  sampleWeight?: string;${r ? `
  /** Fit the output to reproduce the input: labels are not read (a CSV has no label column). Default: RECONSTRUCT. */
  reconstruct?: boolean;` : ''}
  epochs?: number;
  batchSize?: number;
  validationSplit?: number;
  shuffle?: boolean;
  /** A folder to save the trained model to (model.json + weights.bin); nothing is saved without it. */
  saveTo?: string;
  /** Receives the progress lines (default: console.log). */
  log?: (line: string) => void;
}

export interface TrainResult {
  model: tf.LayersModel;
  history: tf.History;
  dataset: Dataset;
}

/** \`loss 0.1234 · accuracy 0.9650\`, as \`mlc train\` prints scores. */
function formatLogs(logs: Record<string, number> | undefined): string {
  return Object.entries(logs ?? {}).map(([name, value]) => \`\${name} \${value.toFixed(4)}\`).join(' · ');
}

/** Scores keyed by mlc's metric names: model.metricsNames is [loss, ...metrics in compile order]; \`val_\` stays a prefix. */
function withMlcNames(model: tf.LayersModel, logs: Record<string, number> | undefined): Record<string, number> {
  const rename = new Map(model.metricsNames.slice(1).map((name, i) => [name, METRIC_NAMES[i] ?? name]));
  return Object.fromEntries(
    Object.entries(logs ?? {}).map(([key, value]) => {
      const prefix = key.startsWith('val_') ? 'val_' : '';
      const name = key.slice(prefix.length);
      return [prefix + (rename.get(name) ?? name), value];
    }),
  );
}

/** Builds, compiles and trains the model on the data, logging each epoch. */
export async function train(options: TrainOptions = {}): Promise<TrainResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  ${backendSetup}
  const spec = options.data ?? defaultDataHere();
  if (spec === undefined) {
    throw new DataError('this model has no default data set', { help: 'pass one, e.g. \`--data csv:FILE\` or \`--data json:FILE\`' });
  }
${defaultSampleWeight === undefined ? '' : '  const sampleWeight = options.sampleWeight ?? (options.data === undefined ? DEFAULT_SAMPLE_WEIGHT : undefined);\n'}${r ? `  const reconstruct = options.reconstruct ?? RECONSTRUCT;
  const dataset = await loadData({ ...DATA, ...(reconstruct ? { labelMode: 'regression', outputUnits: 1, noLabels: true } : {}), spec, limit: options.limit, labelColumn: options.labelColumn, weightColumn: ${defaultSampleWeight === undefined ? 'options.sampleWeight' : 'sampleWeight'} });` : `  const dataset = await loadData({ ...DATA, spec, limit: options.limit, labelColumn: options.labelColumn, weightColumn: ${defaultSampleWeight === undefined ? 'options.sampleWeight' : 'sampleWeight'} });`}
  log(dataset.description);
  log(\`backend: \${tf.getBackend()}\`);
  const model = buildModel();
  compileModel(model);
  const epochs = options.epochs ?? FIT.epochs;
  const batchSize = options.batchSize ?? FIT.batchSize;
  const x = tf.tensor(dataset.train.x, dataset.train.xShape, DATA.inputDtype);
  const y = ${r ? "reconstruct ? tf.tensor(dataset.train.x, dataset.train.xShape, 'float32') : " : ''}tf.tensor(dataset.train.y, dataset.train.yShape);
  let history: tf.History;
${adaptsToData(ir) ? `  // Keras's adapt(): each normalization layer without a given mean and variance takes them from the training
  // samples, validationSplit's held-out part (the last samples, as model.fit takes it) left out.
  tf.tidy(() => {
    const validationSplit = options.validationSplit ?? FIT.validationSplit;
    adaptNormalization(tf, model, x.slice(0, Math.floor(dataset.train.count * (1 - validationSplit))));
  });
` : ''}  const callbacks: tf.CustomCallbackArgs = ${fitOptions.callbacks};
  const fitArgs = {
    epochs,
    batchSize,
    validationSplit: options.validationSplit ?? FIT.validationSplit,
    shuffle: options.shuffle ?? FIT.shuffle,
    callbacks,
  };
  // TensorFlow.js's model.fit takes no sample weights: with them, ./${FIT_HELPERS_DIR}/ trains as Keras's fit does.
  const sampleWeights = ${fitOptions.classWeights ? 'sampleWeightsOf(dataset.train)' : 'dataset.train.weights'};
  try {
    history =
      sampleWeights === undefined
        ? await model.fit(x, y, { ...fitArgs, verbose: 0${fitOptions.classWeights ? ', classWeight: classWeightOf(dataset.train)' : ''} })
        : await mlcFit.fitWithSampleWeights(tf, model, x, y, sampleWeights, ${seed === undefined ? 'fitArgs' : '{ ...fitArgs, seed: FIT.seed }'});
  } finally {
    x.dispose();
    y.dispose();
  }
  if (dataset.test !== undefined) {
    log(\`test: \${formatLogs(evaluate(model, dataset.test, batchSize${r ? ', reconstruct' : ''}))}\`);
  }
  if (${fitOptions.saveAtEnd}) {
    await saveModel(model, options.saveTo!);
    log(\`saved the trained model to \${options.saveTo}\`);
  }
  return { model, history, dataset };
}

/** The loss and metrics of the trained model on held-out samples, named as \`mlc train\` names them. */
export function evaluate(model: tf.LayersModel, split: Split, batchSize: number${r ? ', reconstruct = RECONSTRUCT' : ''}): Record<string, number> {
  return tf.tidy(() => {
    const x = tf.tensor(split.x, split.xShape, DATA.inputDtype);
    const y = ${r ? "reconstruct ? x : " : ''}tf.tensor(split.y, split.yShape);
    const scores = [model.evaluate(x, y, { batchSize })].flat();
    return withMlcNames(model, Object.fromEntries(model.metricsNames.map((name, i) => [name, scores[i].dataSync()[0]])));
  });
}

/**
 * Writes the model in TensorFlow.js's file format (model.json + weights.bin),
 * loadable with tf.loadLayersModel. Done by hand because only tfjs-node
 * registers a file:// handler; this works with every tfjs package.
 */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      mkdirSync(dir, { recursive: true });
      const weightsFile = 'weights.bin';
      if (artifacts.weightData !== undefined) {
        writeFileSync(join(dir, weightsFile), new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)));
      }
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        trainingConfig: artifacts.trainingConfig,
        weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(\`\${flag} takes a positive whole number; got \${value}\`);
  return n;
}

/** The command line, with \`mlc train\`'s flag names: [--data SPEC] [--label COLUMN] [--sample-weight COLUMN]${r ? ' [--reconstruct]' : ''} [--epochs N] [--batch N] [--limit N] [-o DIR]. */
export async function main(args: string[] = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string' },
      label: { type: 'string' },
      'sample-weight': { type: 'string' },${r ? "\n      reconstruct: { type: 'boolean' }," : ''}
      epochs: { type: 'string' },
      batch: { type: 'string' },
      limit: { type: 'string' },
      output: { type: 'string', short: 'o', default: ${printValue(saveDir)} },
    },
  });
  await train({
    data: values.data,
    labelColumn: values.label,
    sampleWeight: values['sample-weight'],${r ? '\n    reconstruct: values.reconstruct,' : ''}
    epochs: positiveInt(values.epochs, '--epochs'),
    batchSize: positiveInt(values.batch, '--batch'),
    limit: positiveInt(values.limit, '--limit'),
    saveTo: values.output,
  });
}

// Runs only as a program (\`npx tsx FILE.ts\`, or \`node FILE.js\` after tsc), never on import.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    if (e instanceof DataError) {
      const where = e.file === undefined ? '' : \`\${e.file}\${e.span ? \`:\${e.span.line}\` : ''}: \`;
      console.error(\`\${where}error: \${e.message}\${e.help ? \`\\nhelp: \${e.help}\` : ''}\`);
    } else {
      console.error(\`error: \${e instanceof Error ? e.message : String(e)}\`);
    }
    process.exitCode = 1;
  });
}
`;
}
