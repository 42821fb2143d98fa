/**
 * `--data idx:DIR`: the four MNIST files in the IDX format of
 * http://yann.lecun.com/exdb/mnist/ — a big-endian header (magic number
 * 0x00000803 for images, 0x00000801 for labels, then one 32-bit size per
 * dimension) followed by unsigned bytes. Plain or gzipped.
 */
import { join } from 'node:path';
import { DataError } from './errors.js';
import { listFolder, readMaybeGzipped } from './files.js';
import type { Samples } from './types.js';

const UBYTE = 0x08;

interface IdxKind {
  /** Name parts: train-images-idx3-ubyte (or train-images.idx3-ubyte). */
  stem: 'images' | 'labels';
  tag: 'idx3' | 'idx1';
  dims: number;
  /** What one entry along the first dimension is called. */
  item: 'image' | 'label';
}

const IMAGES: IdxKind = { stem: 'images', tag: 'idx3', dims: 3, item: 'image' };
const LABELS: IdxKind = { stem: 'labels', tag: 'idx1', dims: 1, item: 'label' };

function magicOf(kind: IdxKind): number {
  return (UBYTE << 8) | kind.dims;
}

function hex(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}

export interface IdxArray {
  /** Sizes from the header, e.g. [60000, 28, 28]. */
  dims: number[];
  /** The unsigned bytes after the header. */
  data: Uint8Array;
}

/** Parses one IDX file of unsigned bytes; `name` is how errors refer to it. */
export function parseIdx(bytes: Uint8Array, kind: IdxKind, file: string, name: string): IdxArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const expected = magicOf(kind);
  if (bytes.length < 4) {
    throw new DataError(`the file is ${bytes.length} bytes long, too short for an IDX header`, { file, help: 'download the file again' });
  }
  const magic = view.getUint32(0);
  if (magic !== expected) {
    const other = kind === IMAGES ? LABELS : IMAGES;
    throw new DataError(`wrong magic number ${hex(magic)}: an IDX ${kind.stem} file starts with ${hex(expected)}`, {
      file,
      help:
        magic === magicOf(other)
          ? `this is an IDX ${other.stem} file; check which file is which`
          : 'this is not an MNIST IDX file of unsigned bytes; download the file again',
    });
  }
  const headerSize = 4 + 4 * kind.dims;
  if (bytes.length < headerSize) {
    throw new DataError(`the file is truncated inside its ${headerSize}-byte header`, { file, help: 'download the file again' });
  }
  const dims = Array.from({ length: kind.dims }, (_, i) => view.getUint32(4 + 4 * i));
  const itemSize = dims.slice(1).reduce((p, d) => p * d, 1);
  const available = bytes.length - headerSize;
  if (available < dims[0] * itemSize) {
    const shape = dims.slice(1).join('x');
    throw new DataError(
      `the file is truncated: its header promises ${dims[0]} ${kind.item}s${shape ? ` of ${shape}` : ''}, but the data ends in ${kind.item} ${Math.floor(available / itemSize) + 1}`,
      {
        file,
        record: `${kind.item} ${Math.floor(available / itemSize) + 1} of ${name}`,
        help: 'download the file again (a .gz file must be complete too)',
      },
    );
  }
  return { dims, data: bytes.subarray(headerSize, headerSize + dims[0] * itemSize) };
}

/** Reads one IDX file, plain or gzipped; a gzipped one is unpacked no further than its header promises. */
function readIdxFile(file: string, kind: IdxKind): Buffer {
  const headerSize = 4 + 4 * kind.dims;
  return readMaybeGzipped(file, {
    bytes: headerSize,
    expectedSize: (head) => headerSize + Array.from({ length: kind.dims }, (_, i) => head.readUInt32BE(4 + 4 * i)).reduce((p, d) => p * d, 1),
  });
}

/** The accepted names of one file, e.g. train-images-idx3-ubyte, train-images.idx3-ubyte, each also with .gz. */
function candidateNames(split: string, kind: IdxKind): string[] {
  const bases = [`${split}-${kind.stem}-${kind.tag}-ubyte`, `${split}-${kind.stem}.${kind.tag}-ubyte`];
  return bases.flatMap((b) => [b, `${b}.gz`]);
}

function findFile(dir: string, entries: readonly string[], split: string, kind: IdxKind): string | undefined {
  return candidateNames(split, kind).find((n) => entries.includes(n));
}

function readSplit(dir: string, imagesName: string, labelsName: string): Samples {
  const imagesFile = join(dir, imagesName);
  const labelsFile = join(dir, labelsName);
  const images = parseIdx(readIdxFile(imagesFile, IMAGES), IMAGES, imagesFile, imagesName);
  const labels = parseIdx(readIdxFile(labelsFile, LABELS), LABELS, labelsFile, labelsName);
  if (images.dims[0] !== labels.dims[0]) {
    throw new DataError(`${imagesName} has ${images.dims[0]} images but ${labelsName} has ${labels.dims[0]} labels`, {
      file: labelsFile,
      help: 'the images and labels files must come from the same set; download them again',
    });
  }
  // Pixels are bytes 0–255; the model sees them scaled to [0, 1].
  const features = new Float32Array(images.data.length);
  for (let i = 0; i < features.length; i++) features[i] = images.data[i] / 255;
  return {
    features,
    sampleShape: images.dims.slice(1),
    labels: Float64Array.from(labels.data),
    count: images.dims[0],
    recordOf: (i) => ({ file: labelsFile, record: `item ${i + 1} of ${labelsName}` }),
  };
}

/** Train from train-*, test from t10k-* (optional, but both or neither). */
export function loadIdxSamples(dir: string): { train: Samples; test?: Samples } {
  const entries = listFolder(dir);
  const split = (name: 'train' | 't10k', required: boolean): Samples | undefined => {
    const images = findFile(dir, entries, name, IMAGES);
    const labels = findFile(dir, entries, name, LABELS);
    if (images && labels) return readSplit(dir, images, labels);
    if (!required && !images && !labels) return undefined;
    const missing = images ? LABELS : IMAGES;
    throw new DataError(`no ${candidateNames(name, missing)[0]} (or .gz) in this folder`, {
      file: dir,
      help: `an idx:DIR folder holds ${['train', 't10k'].flatMap((s) => [IMAGES, LABELS].map((k) => candidateNames(s, k)[0])).join(', ')} (plain or .gz)`,
    });
  };
  return { train: split('train', true)!, test: split('t10k', false) };
}
