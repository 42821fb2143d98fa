/** `mlc evaluate DIR`: a saved model's loss and metrics on data (its test split when the data has one). */
import { evaluateTensors } from './evaluate.js';
import type { Scores } from './objective.js';
import { objectiveOf } from './objective.js';
import { formatScores } from './progress.js';
import { loadModelDir } from './saved-model.js';
import { loadBackend, loadModelData, RuntimeUsageError, type BackendName } from './session.js';
import { disposeTensors, toTensors } from './split-tensors.js';

export interface EvaluateFlags {
  data?: string;
  label?: string;
  limit?: number;
  batch?: number;
  backend: BackendName;
  /** Also say why faster backends were passed over. */
  verbose?: boolean;
  json?: boolean;
}

export interface EvaluateReport {
  backend: string;
  /** Which split was scored: the data's test split, or its training split when it has none. */
  split: 'test' | 'train';
  samples: number;
  scores: Scores;
}

export async function runEvaluate(dir: string, flags: EvaluateFlags): Promise<EvaluateReport> {
  const human = flags.json ? process.stderr : process.stdout;
  const backend = await loadBackend(flags.backend, { verbose: flags.verbose });
  const { tf } = backend;
  const saved = await loadModelDir(tf, dir);
  try {
    const { ir, checkpoint, model } = saved;
    const dataSpec = flags.data ?? checkpoint.data;
    if (dataSpec === undefined) throw new RuntimeUsageError(`mlc: say which data to evaluate ${dir} on with --data`);
    const outputShapes = model.outputs.map((o) => o.shape.slice(1) as (number | null)[]);
    // Classes are mapped by the names saved with the model, so a folder with other or fewer classes is scored right.
    const data = await loadModelData(ir, outputShapes, dataSpec, {
      labelColumn: flags.label ?? checkpoint.labelColumn, limit: flags.limit, classNames: checkpoint.classNames,
      // The weight column is read (so it is not taken for a feature); the scores count every test sample once.
      sampleWeight: checkpoint.sampleWeight, reconstruct: checkpoint.reconstruct,
    });
    const split = data.test ? 'test' : 'train';
    const chosen = data.test ?? data.train;
    const tensors = toTensors(tf, chosen);
    try {
      const scores = await evaluateTensors(tf, model, objectiveOf(tf, model, ir), tensors, flags.batch ?? checkpoint.batchSize ?? 32);
      human.write(`${split}: ${formatScores(scores)} (${chosen.count} samples)\n`);
      return { backend: backend.name, split, samples: chosen.count, scores };
    } finally {
      disposeTensors(tensors);
    }
  } finally {
    saved.model.dispose();
  }
}
