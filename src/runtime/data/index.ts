/**
 * The data loaders behind `mlc train/evaluate/predict --data SPEC`.
 *
 *   mnist        the 10,000 MNIST digits bundled with the `mnist` package (the default for 784 or 28x28x1 inputs)
 *   idx:DIR      the four MNIST IDX files, plain or gzipped
 *   csv:FILE     a table with a header; `labelColumn` (default: the last column) holds the label
 *   images:DIR   JPEG/PNG images, the class from a folder per class or a name prefix (cat.1.jpg)
 *   json:FILE    token-id sequences with labels, for embedding and recurrent models
 *
 * Everything returned is plain typed arrays; the caller makes tensors. These
 * modules use only Node built-ins, sharp, mnist and csv-parse, so a generated
 * training script can ship them as they are. The image and CSV loaders are
 * imported when asked for: sharp is a native library that training on MNIST
 * or token sequences has no use for.
 */
import { suggest } from './suggest.js';
import { DataError } from './errors.js';
import { loadIdxSamples } from './idx.js';
import { loadJsonSamples } from './json.js';
import { loadMnistSamples, MNIST_DESCRIPTION } from './mnist.js';
import { checkLimit, finishDataset, holdOutSamples } from './samples.js';
import { requireFloatInput } from './shape.js';
import type { DataRequest, Dataset, Inputs } from './types.js';

export { DataError } from './errors.js';
export type { DataErrorDetails, DataSpan } from './errors.js';
export type { DataRequest, Dataset, Inputs, LabelMode, Split } from './types.js';

/** Image files decoded and resized for a model's input (see ./images.ts). */
export async function loadImageFiles(files: readonly string[], inputShape: readonly (number | null)[]): Promise<Inputs> {
  return (await import('./images.js')).loadImageFiles(files, inputShape);
}

const KINDS = ['mnist', 'idx', 'csv', 'images', 'json'] as const;
type Kind = (typeof KINDS)[number];

const SPEC_HELP = 'use `mnist`, `idx:DIR`, `csv:FILE`, `images:DIR` or `json:FILE`';

/** Splits `csv:data/iris.csv` into its kind and path; a bare `x.csv` or `x.json` is taken by its extension. */
export function parseDataSpec(spec: string): { kind: Kind; path: string } {
  if (spec === 'mnist') return { kind: 'mnist', path: '' };
  const colon = spec.indexOf(':');
  const prefix = colon > 0 ? spec.slice(0, colon) : '';
  const path = spec.slice(colon + 1);
  if ((KINDS as readonly string[]).includes(prefix) && prefix !== 'mnist') {
    if (path === '')
      throw new DataError(`\`--data ${spec}\` names no ${prefix === 'csv' || prefix === 'json' ? 'file' : 'folder'}`, { help: SPEC_HELP });
    return { kind: prefix as Kind, path };
  }
  if (colon < 0 && /\.csv$/i.test(spec)) return { kind: 'csv', path: spec };
  if (colon < 0 && /\.json$/i.test(spec)) return { kind: 'json', path: spec };
  // A one-letter prefix is a Windows drive (C:\data), not a kind.
  const guess = prefix.length > 1 ? suggest(prefix, KINDS) : suggest(spec, ['mnist']);
  throw new DataError(`unknown data source \`${spec}\``, {
    help: guess ? `did you mean \`${guess === 'mnist' ? 'mnist' : `${guess}:${path}`}\`? ${SPEC_HELP}` : SPEC_HELP,
  });
}

/** The data a model trains on when no --data is given: MNIST for 784 or 28x28x1 float inputs, otherwise none. */
export function defaultDataSpec(inputShape: readonly (number | null)[], inputDtype: 'float32' | 'int32' = 'float32'): string | undefined {
  const dims = inputShape.join('x');
  return inputDtype === 'float32' && ['784', '28x28', '28x28x1'].includes(dims) ? 'mnist' : undefined;
}

/** Loads, checks and encodes the data named by `req.spec` for a model with the given input and output. */
export async function loadData(req: DataRequest): Promise<Dataset> {
  const { kind, path } = parseDataSpec(req.spec);
  checkLimit(req.limit);
  if (req.weightColumn !== undefined && kind !== 'csv') {
    throw new DataError(`--sample-weight ${req.weightColumn} names a column of a CSV file (or a field of field-keyed JSON); \`${req.spec}\` has none`, {
      help: 'put the weights in a column of a CSV file, or leave out --sample-weight',
    });
  }
  const classLabels = req.labelMode !== 'regression' || req.outputUnits > 1;
  const heldOut = classLabels ? 'every 5th of each class held out for test' : 'every 5th held out for test';
  switch (kind) {
    case 'mnist':
      requireFloatInput(req.inputDtype, 'MNIST', 'mnist');
      return finishDataset(req, loadMnistSamples(), { file: 'mnist', what: MNIST_DESCRIPTION, autoReshape: true });
    case 'idx':
      requireFloatInput(req.inputDtype, 'IDX image data', path);
      return finishDataset(req, loadIdxSamples(path), { file: path, what: `MNIST IDX files in ${path}`, autoReshape: true });
    case 'csv': {
      const { loadCsvSamples } = await import('./csv.js');
      const { samples, classNames, labelColumn } = loadCsvSamples(path, req);
      return finishDataset(req, holdOutSamples(samples, classLabels), {
        file: path,
        what: `${samples.count} rows of ${path} (${heldOut})`,
        autoReshape: false,
        classNames,
        labelColumn,
      });
    }
    case 'images': {
      requireFloatInput(req.inputDtype, 'image data', path);
      const { loadImageSamples } = await import('./images.js');
      const set = await loadImageSamples(path, req.inputShape, req.classNames);
      return finishDataset(req, set, { file: path, what: set.what, autoReshape: false, classNames: set.classNames });
    }
    case 'json': {
      const samples = loadJsonSamples(path, req);
      return finishDataset(req, holdOutSamples(samples, classLabels), {
        file: path,
        what: `${samples.count} sequences of ${path} (${heldOut})`,
        autoReshape: false,
      });
    }
  }
}
