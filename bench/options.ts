/**
 * Bench settings: modest defaults that keep `npm run bench` to a few minutes
 * on a 2-core machine; each can be raised with an environment variable.
 */

export interface BenchOptions {
  /** Runs of `mlc check specs/lenet5.model` (median reported). */
  checkRuns: number;
  /** Dense layers in the generated deep spec. */
  deepLayers: number;
  /** Runs of each side of the deep-spec comparison (median reported). */
  deepRuns: number;
  /** Training samples per epoch, per model (two epochs; the second is timed). */
  samples: Record<'mlp' | 'cnn' | 'lenet5', number>;
  /** Which models the training section runs (default: all). */
  models: Set<string>;
  /** Runs of every training column; the best is reported (damps noise from other work on the machine). */
  repeats: number;
  /** Time limit for one training process. */
  trainTimeoutSec: number;
  /** Timed one-character edits per spec in the editor section. */
  editorEdits: number;
  /** Which sections run: 'compiler', 'editor', 'training'. */
  sections: Set<string>;
  /** Python interpreter to try first for the PyTorch reference. */
  python?: string;
}

function intEnv(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    throw new Error(`${name} must be an integer ≥ ${min}; got "${raw}"`);
  }
  return n;
}

export const OPTION_HELP = `Environment variables (defaults in brackets):
  MLC_BENCH_SECTIONS        compiler,editor,training      [all three]
  MLC_BENCH_EDITOR_EDITS    timed edits per spec, editor  [200]
  MLC_BENCH_CHECK_RUNS      runs of mlc check lenet5      [10]
  MLC_BENCH_DEEP_LAYERS     dense layers in the deep spec [3000]
  MLC_BENCH_DEEP_RUNS       runs per side, deep spec      [3]
  MLC_BENCH_SAMPLES_MLP     samples per epoch, MLP        [8000]
  MLC_BENCH_SAMPLES_CNN     samples per epoch, CNN        [1024]
  MLC_BENCH_SAMPLES_LENET5  samples per epoch, LeNet-5    [4096]
  MLC_BENCH_MODELS          models to train               [mlp,cnn,lenet5]
  MLC_BENCH_REPEATS         runs per training column      [3]
  MLC_BENCH_TRAIN_TIMEOUT   seconds per training process  [150]
  MLC_BENCH_PYTHON          python with torch             [python3, then /usr/bin/python3]
  MLC_WASM_THREADS          wasm threads (mlc's backend)  [all cores]`;

export function readOptions(argv: readonly string[]): BenchOptions {
  const sectionsArg = argv.find((a) => a.startsWith('--sections='))?.slice('--sections='.length);
  const sections = (sectionsArg ?? process.env.MLC_BENCH_SECTIONS ?? 'compiler,editor,training')
    .split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of sections) {
    if (s !== 'compiler' && s !== 'editor' && s !== 'training') throw new Error(`unknown bench section "${s}"; choose compiler, editor, training`);
  }
  return {
    checkRuns: intEnv('MLC_BENCH_CHECK_RUNS', 10),
    deepLayers: intEnv('MLC_BENCH_DEEP_LAYERS', 3000),
    deepRuns: intEnv('MLC_BENCH_DEEP_RUNS', 3),
    editorEdits: intEnv('MLC_BENCH_EDITOR_EDITS', 200),
    samples: {
      mlp: intEnv('MLC_BENCH_SAMPLES_MLP', 8000),
      cnn: intEnv('MLC_BENCH_SAMPLES_CNN', 1024),
      // LeNet-5 trains at about 2,500 samples/s: 1024 samples made a 0.4 s timed epoch, short enough for one
      // pause of the shared machine to move mlc/hand by 10%.
      lenet5: intEnv('MLC_BENCH_SAMPLES_LENET5', 4096),
    },
    models: new Set((process.env.MLC_BENCH_MODELS || 'mlp,cnn,lenet5').split(',').map((s) => s.trim()).filter(Boolean)),
    repeats: intEnv('MLC_BENCH_REPEATS', 3),
    trainTimeoutSec: intEnv('MLC_BENCH_TRAIN_TIMEOUT', 150),
    sections: new Set(sections),
    python: process.env.MLC_BENCH_PYTHON || undefined,
  };
}
