/**
 * Section 2: training throughput in samples/s, steady state: every column
 * trains two epochs and reports the second (the first is warm-up). Columns:
 * mlc on wasm (its own train command), the same model hand-written in plain
 * tfjs on the same wasm set-up, plain tfjs on the cpu backend, PyTorch on
 * the CPU with 2 threads, and mlc's torch engine (the emitted PyTorch program)
 * on one process and on two DistributedDataParallel processes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastLine, runChild, type ChildResult } from './child.js';
import { loadMnist, writeMnistFile } from './mnist-arrays.js';
import { BENCH_MODELS, benchModel, type BenchModel } from './models.js';
import type { BenchOptions } from './options.js';
import { benchScript, MLC_CLI, REPO_ROOT, TORCH_SCRIPT } from './paths.js';
import { REFERENCE_BLAS_DIR, TORCH_SKIP_REASON, torchVariants, type TorchPython, type TorchVariant } from './python.js';
import { figure, formatTable, ratio } from './table.js';

const EPOCHS = 2;
/** How long a child that printed its result may take to exit before it is ended. */
const EXIT_GRACE_MS = 3000;

/** A column's outcome: a figure, or a short cell text with the reason as a footnote. */
type Measured = { rate: number; note?: string; setup?: string } | { cell: string; note: string };

class Footnotes {
  private readonly notes: string[] = [];
  mark(note: string): string {
    let i = this.notes.indexOf(note);
    if (i < 0) i = this.notes.push(note) - 1;
    return `[${i + 1}]`;
  }
  lines(): string[] {
    return this.notes.map((n, i) => `[${i + 1}] ${n}`);
  }
}

function rateOf(m: Measured): number | undefined {
  return 'rate' in m ? m.rate : undefined;
}

function cellOf(m: Measured, notes: Footnotes): string {
  if ('rate' in m) return m.note ? `${figure(m.rate)} ${notes.mark(m.note)}` : figure(m.rate);
  return `${m.cell} ${notes.mark(m.note)}`;
}

/** Reads `samplesPerSec` from a child's JSON: at the top, or in the last of its `epochs` records (mlc train). */
export function samplesPerSec(json: Record<string, unknown> | undefined): number | undefined {
  if (!json) return undefined;
  if (typeof json.samplesPerSec === 'number') return json.samplesPerSec;
  const epochs = json.epochs;
  if (Array.isArray(epochs) && epochs.length > 0) {
    const last = epochs.at(-1) as { samplesPerSec?: unknown };
    if (typeof last.samplesPerSec === 'number') return last.samplesPerSec;
  }
  return undefined;
}

function outcome(r: ChildResult, what: string, timeoutSec: number): Measured {
  const rate = samplesPerSec(r.json);
  if (rate !== undefined) {
    const setup = typeof r.json?.note === 'string' ? r.json.note : undefined;
    return r.lingered
      ? { rate, setup, note: `${what}: printed its result but did not exit within ${EXIT_GRACE_MS / 1000} s; it was ended` }
      : { rate, setup };
  }
  if (r.spawnError) return { cell: 'failed', note: `${what}: could not start (${r.spawnError})` };
  if (r.timedOut) return { cell: 'timed out', note: `${what}: no result within ${timeoutSec} s (MLC_BENCH_TRAIN_TIMEOUT)` };
  return { cell: 'failed', note: `${what}: ${lastLine(r)}` };
}

function child(command: string, args: string[], opts: BenchOptions, env?: NodeJS.ProcessEnv): Promise<ChildResult> {
  return runChild(command, args, {
    cwd: REPO_ROOT, env, timeoutMs: opts.trainTimeoutSec * 1000, stopAfterJson: { graceMs: EXIT_GRACE_MS },
  });
}

/** Of several runs of one column, the fastest (the least disturbed by other work); failures only if all failed. */
function best(runs: readonly Measured[]): Measured {
  const measured = runs.filter((r) => 'rate' in r);
  if (measured.length === 0) return runs[0]!;
  return measured.reduce((a, b) => ((rateOf(b) ?? 0) > (rateOf(a) ?? 0) ? b : a));
}

/**
 * PyTorch's OpenMP threads spin while they wait, and Debian's torch runs its
 * matrix products on OpenBLAS's own threads: on 2 cores the two pools fight
 * and the MLP runs several times slower. Passive waiting removes that.
 */
const TORCH_ENV = { OMP_WAIT_POLICY: 'PASSIVE' };

async function mlcWasm(m: BenchModel, samples: number, opts: BenchOptions): Promise<Measured> {
  const r = await child(process.execPath, [
    MLC_CLI, 'train', m.spec, '--backend', 'wasm', '--epochs', String(EPOCHS), '--limit', String(samples),
    '--batch', String(m.batch), '--validation-split', '0', '--seed', '1', '--json',
  ], opts);
  if (/unknown command|unknown option/.test(r.stderr)) {
    return { cell: 'not available', note: `mlc train is not available in this build: ${lastLine(r)}` };
  }
  return outcome(r, `mlc train ${m.spec}`, opts.trainTimeoutSec);
}

async function handwritten(
  m: BenchModel, backend: 'wasm' | 'cpu', samples: number, batch: number, dataFile: string, opts: BenchOptions,
): Promise<Measured> {
  const r = await child(process.execPath, [
    benchScript('handwritten/train.js'), '--model', m.name, '--backend', backend, '--data', dataFile,
    '--samples', String(samples), '--batch', String(batch), '--epochs', String(EPOCHS),
  ], opts);
  return outcome(r, `hand-written tfjs ${m.name} on ${backend}`, opts.trainTimeoutSec);
}

async function pytorch(
  m: BenchModel, samples: number, dataFile: string, torch: TorchPython | undefined, variant: TorchVariant | undefined, opts: BenchOptions,
): Promise<Measured> {
  if (!torch || !variant) return { cell: 'skipped', note: TORCH_SKIP_REASON };
  const r = await child(torch.python, [
    TORCH_SCRIPT, '--model', m.name, '--samples', String(samples), '--batch', String(m.batch),
    '--epochs', String(EPOCHS), '--threads', '2', '--data', dataFile,
  ], opts, { ...TORCH_ENV, ...process.env, ...variant.env });
  return outcome(r, `${variant.label} ${m.name}`, opts.trainTimeoutSec);
}

/** mlc's torch engine: `mlc train --engine torch --nproc N`, with the environment of the hand-written PyTorch column. */
async function mlcTorch(m: BenchModel, samples: number, nproc: number, torch: TorchPython | undefined, variant: TorchVariant | undefined, opts: BenchOptions): Promise<Measured> {
  if (!torch || !variant) return { cell: 'skipped', note: TORCH_SKIP_REASON };
  const r = await child(process.execPath, [
    MLC_CLI, 'train', m.spec, '--engine', 'torch', '--nproc', String(nproc), '--epochs', String(EPOCHS), '--limit', String(samples),
    '--batch', String(m.batch), '--validation-split', '0', '--seed', '1', '--json',
  ], opts, { ...TORCH_ENV, ...process.env, ...variant.env, MLC_PYTHON: torch.python });
  return outcome(r, `mlc train --engine torch --nproc ${nproc} ${m.spec}`, opts.trainTimeoutSec);
}

export async function trainingThroughput(opts: BenchOptions, torch: TorchPython | undefined): Promise<string[]> {
  const out: string[] = [
    `## 2. Training throughput (samples/s, higher is better; ${EPOCHS} epochs, the last one timed; no validation;` +
      ` best of ${opts.repeats} run${opts.repeats === 1 ? '' : 's'} per column)`, '',
  ];
  const notes = new Footnotes();
  const dir = mkdtempSync(join(tmpdir(), 'mlc-bench-'));
  try {
    for (const name of opts.models) benchModel(name); // an unknown name fails here, before any training
    const models = BENCH_MODELS.filter((m) => opts.models.has(m.name));
    const most = Math.max(...models.map((m) => Math.max(opts.samples[m.name], m.cpu.samples)));
    const dataFile = join(dir, 'mnist.bin');
    writeMnistFile(dataFile, loadMnist(most));

    const rows: string[][] = [];
    const setups = new Set<string>();
    // Without torch, one column that says why it was skipped.
    const variants: (TorchVariant | undefined)[] = torch ? torchVariants(torch) : [undefined];
    for (const m of models) {
      const samples = opts.samples[m.name];
      const runs: Measured[][] = [[], [], [], ...variants.map(() => []), [], []];
      const torchAt = 3 + variants.length;
      // Repeats are interleaved, so a burst of other work on the machine does not hit one column only.
      for (let r = 0; r < opts.repeats; r++) {
        runs[0]!.push(await mlcWasm(m, samples, opts));
        runs[1]!.push(await handwritten(m, 'wasm', samples, m.batch, dataFile, opts));
        runs[2]!.push(await handwritten(m, 'cpu', m.cpu.samples, m.cpu.batch, dataFile, opts));
        for (const [i, variant] of variants.entries()) runs[3 + i]!.push(await pytorch(m, samples, dataFile, torch, variant, opts));
        runs[torchAt]!.push(await mlcTorch(m, samples, 1, torch, variants[0], opts));
        runs[torchAt + 1]!.push(await mlcTorch(m, samples, 2, torch, variants[0], opts));
      }
      const [mlc, hand] = [best(runs[0]!), best(runs[1]!)];
      const refs = variants.map((_, i) => best(runs[3 + i]!));
      const [torchOne, torchTwo] = [best(runs[torchAt]!), best(runs[torchAt + 1]!)];
      if ('setup' in hand && hand.setup) setups.add(hand.setup);
      let cpu = best(runs[2]!);
      if ('rate' in cpu && (m.cpu.batch !== m.batch || m.cpu.samples !== samples)) {
        cpu = { rate: cpu.rate, note: `tfjs cpu ${m.name}: batch ${m.cpu.batch}, ${m.cpu.samples} samples per epoch (the cpu backend is too slow for more)` };
      }
      rows.push([
        m.title, String(m.batch), String(samples),
        cellOf(mlc, notes), cellOf(hand, notes), ratio(rateOf(mlc), rateOf(hand)),
        cellOf(cpu, notes),
        ...refs.flatMap((ref) => [cellOf(ref, notes), ratio(rateOf(mlc), rateOf(ref))]),
        cellOf(torchOne, notes), ratio(rateOf(torchOne), rateOf(refs[0]!)), cellOf(torchTwo, notes), ratio(rateOf(torchTwo), rateOf(torchOne)),
      ]);
    }
    out.push(formatTable(
      [
        'model', 'batch', 'samples', 'mlc wasm', 'tfjs wasm (hand)', 'mlc/hand', 'tfjs cpu (hand)',
        ...variants.flatMap((v) => [v?.label ?? 'PyTorch cpu', 'mlc/PyTorch']),
        'mlc torch', 'torch/PyTorch', 'mlc torch 2 proc', '2 proc/1',
      ],
      rows,
    ));
    out.push('');
    out.push(
      'mlc wasm: `mlc train SPEC --backend wasm --epochs 2 --limit N --batch B --validation-split 0 --json` (samplesPerSec of its last epoch).',
      'tfjs (hand): tf.sequential + model.fit in bench/handwritten/, on the backend mlc sets up (selectBackend)' +
        (setups.size > 0 ? `: ${[...setups].join('; ')}.` : '.'),
      `PyTorch: bench/torch_train.py, torch.set_num_threads(2), OMP_WAIT_POLICY=PASSIVE, same layers, optimizer and batch${torch ? ` (torch ${torch.torchVersion})` : ''};` +
        ' epochs shorter than 1 s are repeated until 1 s is timed.' +
        (variants.length > 1 ? ' Reference BLAS: the libblas3 that `apt-get install python3-torch` brings (LD_LIBRARY_PATH=' + REFERENCE_BLAS_DIR + ').' : ''),
      'mlc torch: `mlc train SPEC --engine torch --nproc 1|2 ...` with the same flags and environment as PyTorch (the emitted program, Keras\'s' +
        ' loss on probabilities; 2 proc: DistributedDataParallel over gloo, the batch split between the processes, one thread each).',
      'Target: mlc/hand ≥ 0.95 (mlc adds ≤ 5% over hand-written tfjs on the same backend); torch/PyTorch ≥ 0.9 (against the first PyTorch column).',
      'Data: MNIST digits from the mnist package; tfjs (hand) and PyTorch read the same arrays from one file, mlc loads the same package with its own loader.',
      ...notes.lines(),
      '',
    );
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
