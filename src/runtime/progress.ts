/**
 * Training progress for people: a bar per epoch on a terminal (batches,
 * running loss and metrics, samples/s, ETA), one plain line per epoch
 * otherwise (logs, CI, pipes).
 */
import cliProgress from 'cli-progress';
import type { BatchReport, EpochRecord, ProgressSink } from './train.js';

/** `loss 0.1234 · accuracy 0.9650`, in the order the record has them. */
export function formatScores(scores: Record<string, number>): string {
  return Object.entries(scores)
    .filter(([k]) => k !== 'samplesPerSec')
    .map(([k, v]) => `${k} ${formatNumber(v)}`)
    .join(' · ');
}

function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4);
}

function epochLine(epoch: number, epochs: number, record: EpochRecord, seconds: number): string {
  return `epoch ${epoch}/${epochs}: ${formatScores(record)} · ${Math.round(record.samplesPerSec)} samples/s · ${seconds.toFixed(1)}s`;
}

/** One line per epoch to `out`. */
export class LineProgress implements ProgressSink {
  constructor(private readonly out: NodeJS.WritableStream) {}
  epochStart(): void {}
  batchEnd(): void {}
  epochEnd(epoch: number, epochs: number, record: EpochRecord, seconds: number): void {
    this.out.write(epochLine(epoch, epochs, record, seconds) + '\n');
  }
}

/** A cli-progress bar per epoch on a TTY, replaced by the epoch's summary line when it ends. */
export class BarProgress implements ProgressSink {
  private bar?: cliProgress.SingleBar;
  constructor(private readonly out: NodeJS.WriteStream) {}

  epochStart(epoch: number, epochs: number, batches: number): void {
    this.bar = new cliProgress.SingleBar(
      {
        stream: this.out,
        format: `epoch ${epoch}/${epochs} {bar} {value}/{total} · {scores} · {speed} samples/s · ETA {eta_formatted}`,
        barsize: 24,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(batches, 0, { scores: '', speed: '-' });
  }

  batchEnd(r: BatchReport): void {
    this.bar?.update(r.batch, { scores: formatScores(r.scores), speed: Math.round(r.samplesPerSec) });
  }

  epochEnd(epoch: number, epochs: number, record: EpochRecord, seconds: number): void {
    this.bar?.stop();
    this.bar = undefined;
    this.out.write(epochLine(epoch, epochs, record, seconds) + '\n');
  }
}

/** A bar when `out` is a terminal, plain lines otherwise. */
export function progressFor(out: NodeJS.WriteStream): ProgressSink {
  return out.isTTY ? new BarProgress(out) : new LineProgress(out);
}
