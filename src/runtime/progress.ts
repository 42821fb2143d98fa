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

/** What the bar shows while an epoch runs. */
export interface BarState {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  /** Running loss and metrics, loss first. */
  scores: Record<string, number>;
  samplesPerSec?: number;
  /** Seconds left in the epoch, when known. */
  eta?: number;
}

const BAR_WIDTH = 24;
const BAR_MIN_WIDTH = 8;

/** `1m 05s`, `42s`. */
function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return 'ETA -';
  const s = Math.round(seconds);
  return s >= 60 ? `ETA ${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s` : `ETA ${s}s`;
}

function bar(fraction: number, width: number): string {
  const done = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return '\u2588'.repeat(done) + '\u2591'.repeat(width - done);
}

/**
 * The progress line in at most `width` characters. Fields are kept whole or
 * dropped whole, least important first: samples/s, the metrics after loss
 * (last first), the bar, loss, ETA; the epoch and batch count always stay.
 * So no field is ever cut in the middle, where `· 242 samples/s` would read
 * as `· 242 s`. The bar takes what room is left, up to its full width.
 */
export function barLine(state: BarState, width: number): string {
  const [lossEntry, ...metricEntries] = Object.entries(state.scores).filter(([k]) => k !== 'samplesPerSec');
  const score = ([k, v]: [string, number]) => `${k} ${formatNumber(v)}`;
  const fields = {
    head: `epoch ${state.epoch}/${state.epochs}`,
    count: `${state.batch}/${state.batches}`,
    loss: lossEntry ? score(lossEntry) : undefined,
    metrics: metricEntries.map(score),
    speed: state.samplesPerSec !== undefined ? `${Math.round(state.samplesPerSec)} samples/s` : undefined,
    eta: formatEta(state.eta),
  };
  let barWidth = BAR_MIN_WIDTH;
  let metrics = fields.metrics.length;
  let speed = fields.speed !== undefined;
  let loss = fields.loss !== undefined;
  let eta = true;
  const compose = () => {
    const barPart = barWidth > 0 ? ` ${bar(state.batch / Math.max(1, state.batches), barWidth)}` : '';
    const rest = [
      fields.count,
      ...(loss ? [fields.loss!] : []),
      ...fields.metrics.slice(0, metrics),
      ...(speed ? [fields.speed!] : []),
      ...(eta ? [fields.eta] : []),
    ];
    return `${fields.head}${barPart} ${rest.join(' · ')}`;
  };
  const steps: (() => boolean)[] = [
    () => speed && !(speed = false),
    () => metrics > 0 && (metrics--, true),
    () => barWidth > 0 && !(barWidth = 0),
    () => loss && !(loss = false),
    () => eta && !(eta = false),
  ];
  let line = compose();
  for (const step of steps) {
    while (line.length > width && step()) line = compose();
  }
  if (barWidth > 0) {
    barWidth = Math.min(BAR_WIDTH, BAR_MIN_WIDTH + width - line.length);
    line = compose();
  }
  return line.length > width ? line.slice(0, width) : line;
}

/** A cli-progress bar per epoch on a TTY, fitted to the terminal's width, replaced by the epoch's summary line when it ends. */
export class BarProgress implements ProgressSink {
  private bar?: cliProgress.SingleBar;
  constructor(private readonly out: NodeJS.WriteStream) {}

  epochStart(epoch: number, epochs: number, batches: number): void {
    this.bar = new cliProgress.SingleBar({
      stream: this.out,
      // maxWidth is the terminal's width; one column is left free so the line never wraps.
      format: (_options, params, payload: { scores?: Record<string, number>; speed?: number }) =>
        barLine(
          {
            epoch, epochs, batch: params.value, batches: params.total, scores: payload.scores ?? {},
            samplesPerSec: payload.speed, eta: params.value > 0 ? params.eta : undefined,
          },
          Math.max(20, (params.maxWidth ?? 80) - 1),
        ),
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
    });
    this.bar.start(batches, 0, {});
  }

  batchEnd(r: BatchReport): void {
    this.bar?.update(r.batch, { scores: r.scores, speed: r.samplesPerSec });
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
