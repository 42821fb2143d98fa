/** Deterministic ordering, splitting and limiting of samples, and the last step to a Split. */
import { DataError } from './errors.js';
import { checkClassCount, encodeLabels } from './labels.js';
import { fitSampleShape, product } from './shape.js';
import type { DataRequest, Dataset, Samples, Split } from './types.js';

/** The samples at `indices`, in that order. */
export function selectSamples(s: Samples, indices: readonly number[]): Samples {
  const size = product(s.sampleShape);
  const features = new (s.features.constructor as Float32ArrayConstructor | Int32ArrayConstructor)(indices.length * size);
  const labels = new Float64Array(indices.length);
  indices.forEach((from, to) => {
    features.set(s.features.subarray(from * size, (from + 1) * size), to * size);
    labels[to] = s.labels[from];
  });
  const weights = s.weights && Float64Array.from(indices, (from) => s.weights![from]);
  return { features, sampleShape: s.sampleShape, labels, weights, count: indices.length, recordOf: (i) => s.recordOf(indices[i]) };
}

/** The first n samples (all of them when there are fewer). */
export function firstSamples(s: Samples, n: number): Samples {
  if (n >= s.count) return s;
  const size = product(s.sampleShape);
  return { ...s, features: s.features.subarray(0, n * size), labels: s.labels.subarray(0, n), weights: s.weights?.subarray(0, n), count: n };
}

/** How many samples in every HOLD_OUT_EVERY go to the test split: the 5th, 10th, ... (20%). */
export const HOLD_OUT_EVERY = 5;

function isHeldOut(k: number): boolean {
  return k % HOLD_OUT_EVERY === HOLD_OUT_EVERY - 1;
}

/** Splits one source into train and test: every 5th sample is held out, so the split is the same on every run. */
export function holdOut(s: Samples): { train: Samples; test?: Samples } {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < s.count; i++) (isHeldOut(i) ? test : train).push(i);
  return { train: selectSamples(s, train), test: test.length > 0 ? selectSamples(s, test) : undefined };
}

/**
 * Takes one item of each group in turn (group 0, 1, 2, ..., 0, 1, ...), so
 * that every prefix of the result — a `limit` — holds all groups in
 * proportion. Groups that run out are skipped.
 */
export function roundRobin<T>(groups: readonly (readonly T[])[]): T[] {
  const out: T[] = [];
  const longest = Math.max(0, ...groups.map((g) => g.length));
  for (let k = 0; k < longest; k++) for (const g of groups) if (k < g.length) out.push(g[k]);
  return out;
}

/**
 * Splits items grouped by class: every 5th item of each class is held out,
 * so both splits hold every class in proportion; each split is in
 * round-robin order over the classes.
 */
export function holdOutPerClass<T>(classes: readonly (readonly T[])[]): { train: T[]; test: T[] } {
  return {
    train: roundRobin(classes.map((c) => c.filter((_, k) => !isHeldOut(k)))),
    test: roundRobin(classes.map((c) => c.filter((_, k) => isHeldOut(k)))),
  };
}

/**
 * Splits one table of samples into train and test. For class labels, every
 * 5th sample of each class is held out and both splits interleave the classes
 * (see holdOutPerClass): a file sorted by class (as iris.csv is) then still
 * gives every class to a `limit` prefix and to Keras's validation_split, which
 * takes the last samples. Other labels keep the file order, every 5th held out.
 */
export function holdOutSamples(s: Samples, labelsAreClasses: boolean): { train: Samples; test?: Samples } {
  if (!labelsAreClasses) return holdOut(s);
  const classes = [...new Set(s.labels)].sort((a, b) => a - b);
  const members = new Map(classes.map((c) => [c, [] as number[]]));
  s.labels.forEach((label, i) => members.get(label)!.push(i));
  const { train, test } = holdOutPerClass(classes.map((c) => members.get(c)!));
  return { train: selectSamples(s, train), test: test.length > 0 ? selectSamples(s, test) : undefined };
}

export function checkLimit(limit: number | undefined): void {
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    throw new DataError(`the sample limit must be a positive whole number; got ${limit}`, { help: 'pass e.g. `--limit 1000`' });
  }
}

function toSplit(s: Samples, shape: readonly number[], req: DataRequest): Split {
  const { y, yShape } = encodeLabels(s, req.labelMode, req.outputUnits);
  return { x: s.features, xShape: [s.count, ...shape], y, yShape, count: s.count, ...(s.weights ? { weights: Float32Array.from(s.weights) } : {}) };
}

export interface SourceInfo {
  /** The file or folder named in errors about the data's shape. */
  file: string;
  /** What the data is, e.g. "MNIST digits bundled with the mnist package". */
  what: string;
  /** See FitOptions.autoReshape. */
  autoReshape: boolean;
  classNames?: string[];
  labelColumn?: string;
}

/** The shared last step of every loader: shape check, limit, label encoding. */
export function finishDataset(req: DataRequest, parts: { train: Samples; test?: Samples }, source: SourceInfo): Dataset {
  checkLimit(req.limit);
  if (parts.train.count === 0) {
    throw new DataError('the data holds no samples', { file: source.file, help: 'give data with at least one sample to train on' });
  }
  if (source.classNames) checkClassCount(source.classNames, req.labelMode, req.outputUnits, source.file);
  const shape = fitSampleShape(parts.train.sampleShape, req.inputShape, { file: source.file, autoReshape: source.autoReshape });
  const limited = req.limit !== undefined && req.limit < parts.train.count;
  const train = toSplit(req.limit !== undefined ? firstSamples(parts.train, req.limit) : parts.train, shape, req);
  const test = parts.test && parts.test.count > 0 ? toSplit(parts.test, shape, req) : undefined;
  const counts =
    `${train.count} train${limited ? ` (the first of ${parts.train.count}, by --limit)` : ''}` +
    (test ? `, ${test.count} test` : ', no test split');
  return { train, test, classNames: source.classNames, labelColumn: source.labelColumn, description: `${source.what}: ${counts}` };
}
