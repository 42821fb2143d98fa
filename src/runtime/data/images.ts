/**
 * `--data images:DIR`: JPEG/PNG files, the class taken from
 *
 *   DIR/cat/x.jpg, DIR/dog/y.jpg         a folder per class (Keras's image_dataset_from_directory), or
 *   DIR/cat.1.jpg, DIR/dog.1.jpg         a name prefix (the Kaggle cats-vs-dogs layout), or
 *   DIR/train/cat/..., DIR/test/cat/...  a folder per split, each with a folder per class.
 *
 * Every image is resized to the input's HxW (stretched, as Keras does by
 * default) and scaled to [0, 1]. Classes are sorted by name and numbered 0, 1, ...
 */
import { realpathSync } from 'node:fs';
import { basename, isAbsolute, join, relative } from 'node:path';
import sharp from 'sharp';
import { DataError } from './errors.js';
import { isFolder, listFolder } from './files.js';
import { holdOutPerClass, roundRobin } from './samples.js';
import { formatDims } from './shape.js';
import type { Inputs, Samples } from './types.js';

const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff'];
/** Images decoded at once; sharp runs each on its own worker thread. */
const PARALLEL_DECODES = 8;

function isImage(name: string): boolean {
  const lower = name.toLowerCase();
  return IMAGE_EXTENSIONS.some((e) => lower.endsWith(e));
}

export interface ImageSize {
  height: number;
  width: number;
  /** 1 (grayscale) or 3 (RGB). */
  channels: 1 | 3;
  /** The sample shape the model takes: [H, W, C], or [H, W] for a grayscale input written that way. */
  sampleShape: number[];
}

/** The HxWxC an image input asks for; images need a fixed size. */
export function imageSizeOf(inputShape: readonly (number | null)[], file: string): ImageSize {
  const [height, width, channels = 1] = inputShape;
  const ok =
    (inputShape.length === 2 || inputShape.length === 3) && height !== null && width !== null && (channels === 1 || channels === 3);
  if (!ok) {
    throw new DataError(`images need an input of HxWxC with C = 1 (grayscale) or 3 (RGB); the spec's input is ${formatDims(inputShape)}`, {
      file,
      help: 'use e.g. `input 64x64x3` (add `flatten` after it for dense layers)',
    });
  }
  return { height: height!, width: width!, channels: channels as 1 | 3, sampleShape: inputShape as number[] };
}

/** Decodes one image into `into` at `offset`: resized, [0, 1], channels last. `name` is how errors refer to it. */
async function decodeImage(file: string, name: string, size: ImageSize, into: Float32Array, offset: number): Promise<void> {
  let rgb: Buffer;
  try {
    rgb = await sharp(file)
      .removeAlpha()
      .toColourspace('srgb')
      .resize(size.width, size.height, { fit: 'fill', kernel: 'linear' })
      .raw()
      .toBuffer();
  } catch (e) {
    throw new DataError(`cannot decode the image: ${(e as Error).message}`, {
      file,
      record: name,
      help: 'replace or remove the file; images must be JPEG, PNG, WebP, GIF or TIFF',
    });
  }
  const pixels = size.width * size.height;
  for (let p = 0; p < pixels; p++) {
    const [r, g, b] = [rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2]];
    if (size.channels === 3) {
      into[offset + 3 * p] = r / 255;
      into[offset + 3 * p + 1] = g / 255;
      into[offset + 3 * p + 2] = b / 255;
    } else {
      // The luma weights of PIL's convert('L'), which Keras uses for color_mode='grayscale'.
      into[offset + p] = Math.round((r * 299 + g * 587 + b * 114) / 1000) / 255;
    }
  }
}

/** Decodes files[i] into row i of one array, a few at a time. */
async function decodeAll(files: readonly { file: string; name: string }[], size: ImageSize): Promise<Float32Array> {
  const perImage = size.height * size.width * size.channels;
  const x = new Float32Array(files.length * perImage);
  for (let start = 0; start < files.length; start += PARALLEL_DECODES) {
    const batch = files.slice(start, start + PARALLEL_DECODES);
    await Promise.all(batch.map((f, k) => decodeImage(f.file, f.name, size, x, (start + k) * perImage)));
  }
  return x;
}

/** Loads individual image files (for `predict`), shaped for the model's input. */
export async function loadImageFiles(files: readonly string[], inputShape: readonly (number | null)[]): Promise<Inputs> {
  const size = imageSizeOf(inputShape, files[0] ?? '');
  const x = await decodeAll(
    files.map((file) => ({ file, name: basename(file) })),
    size,
  );
  return { x, xShape: [files.length, ...size.sampleShape], count: files.length };
}

interface LabelledImage {
  file: string;
  className: string;
}

/**
 * The folder tree under the data folder, walked once: symbolic links are
 * followed only to places inside the data folder, and no folder or file is
 * visited twice (a link to `..` or `/` would otherwise walk the whole disk,
 * and a link from one class folder to another would label its images twice).
 */
class FolderWalk {
  private readonly root: string;
  private readonly seen = new Set<string>();

  constructor(dir: string) {
    listFolder(dir);
    this.root = realpathSync(dir);
    this.seen.add(this.root);
  }

  /** Whether `path` (after links) lies inside the data folder. */
  contains(path: string): boolean {
    try {
      const rel = relative(this.root, realpathSync(path));
      return !rel.startsWith('..') && !isAbsolute(rel);
    } catch {
      return false;
    }
  }

  /** `path` resolved, when it is inside the data folder and not yet visited; marks it visited. */
  private claim(path: string): string | undefined {
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      return undefined;
    }
    if (!this.contains(real) || this.seen.has(real)) return undefined;
    this.seen.add(real);
    return real;
  }

  /** The folders directly in `dir` that are inside the data folder and not yet visited (they are claimed now). */
  folders(dir: string): string[] {
    return listFolder(dir).filter((name) => {
      const path = join(dir, name);
      return isFolder(path) && this.claim(path) !== undefined;
    });
  }

  /** The image files directly in `dir`, each once. */
  images(dir: string): string[] {
    return listFolder(dir).filter((name) => {
      const path = join(dir, name);
      return isImage(name) && !isFolder(path) && this.claim(path) !== undefined;
    });
  }

  /** Every image under `dir`, at any depth, sorted by path. */
  imagesUnder(dir: string): string[] {
    const files = this.images(dir).map((name) => join(dir, name));
    const deeper = this.folders(dir).flatMap((name) => this.imagesUnder(join(dir, name)));
    return [...files, ...deeper].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

/** Whether some folder of `dir` holds an image, at any depth. */
function hasClassFolders(dir: string): boolean {
  const walk = new FolderWalk(dir);
  return walk.folders(dir).some((name) => walk.imagesUnder(join(dir, name)).length > 0);
}

function fromClassFolders(dir: string): LabelledImage[] {
  const walk = new FolderWalk(dir);
  return walk.folders(dir).flatMap((className) => walk.imagesUnder(join(dir, className)).map((file) => ({ file, className })));
}

/** cat.1.jpg, cat_001.png, cat1.jpg → cat: the name up to the first '.', '_', '-' or digit. */
function fromNamePrefixes(dir: string): LabelledImage[] {
  return new FolderWalk(dir)
    .images(dir)
    .map((name) => {
      const className = /^[^._\-0-9]+/.exec(name)?.[0];
      if (!className) {
        throw new DataError('cannot tell the class of this image from its name', {
          file: join(dir, name),
          record: name,
          help: 'name images like `cat.1.jpg`, or put them in a folder per class (`DIR/cat/1.jpg`)',
        });
      }
      return { file: join(dir, name), className };
    });
}

const LAYOUT_HELP = 'put images in a folder per class (`DIR/cat/1.jpg`, `DIR/dog/1.jpg`) or name them by class (`DIR/cat.1.jpg`)';

function labelledImages(dir: string): LabelledImage[] {
  const images = hasClassFolders(dir) ? fromClassFolders(dir) : fromNamePrefixes(dir);
  if (images.length === 0) {
    throw new DataError(`no images (${IMAGE_EXTENSIONS.join(', ')}) in this folder`, { file: dir, help: LAYOUT_HELP });
  }
  return images;
}

/** Images of one split, in the given order, decoded. */
async function toSamples(dir: string, order: LabelledImage[], classNames: string[], size: ImageSize): Promise<Samples> {
  const named = order.map((im) => ({ file: im.file, name: relative(dir, im.file) }));
  return {
    features: await decodeAll(named, size),
    sampleShape: size.sampleShape,
    labels: Float64Array.from(order, (im) => classNames.indexOf(im.className)),
    count: order.length,
    recordOf: (i) => ({ file: named[i].file, record: named[i].name }),
  };
}

/** Each class's images (sorted by path), classes in name order. */
function byClass(images: LabelledImage[], classNames: string[]): LabelledImage[][] {
  return classNames.map((c) => images.filter((im) => im.className === c));
}

export interface ImageSet {
  train: Samples;
  test?: Samples;
  classNames: string[];
  what: string;
}

/** Train and test samples: from DIR/train and DIR/test when both exist, otherwise every 5th image is held out. */
export async function loadImageSamples(dir: string, inputShape: readonly (number | null)[], knownClasses?: readonly string[]): Promise<ImageSet> {
  const size = imageSizeOf(inputShape, dir);
  const splitFolders = ['train', 'test'].map((s) => join(dir, s));
  const top = new FolderWalk(dir);
  const presplit = splitFolders.every((f) => isFolder(f) && top.contains(f) && hasClassFolders(f));
  const sets = presplit ? splitFolders.map(labelledImages) : [labelledImages(dir)];
  const found = [...new Set(sets.flat().map((im) => im.className))].sort();
  // A saved model's classes keep their numbers: images are labelled by name, and a class it does not know is an error.
  const unknown = knownClasses ? found.find((c) => !knownClasses.includes(c)) : undefined;
  if (unknown !== undefined) {
    throw new DataError(`the class \`${unknown}\` is not one of the model's classes`, {
      file: join(dir, unknown),
      help: `the model knows ${knownClasses!.map((c) => `\`${c}\``).join(', ')}`,
    });
  }
  const classNames = knownClasses ? [...knownClasses] : found;
  if (!knownClasses && classNames.length < 2) {
    throw new DataError(`all images are of one class, \`${classNames[0]}\`; a classifier needs at least two`, {
      file: dir,
      help: LAYOUT_HELP,
    });
  }
  const what = `${sets.flat().length} images of ${classNames.length} classes from ${dir}${presplit ? ' (train/ and test/)' : ' (every 5th of each class held out for test)'}`;
  // Both splits interleave the classes (a cat, a dog, a cat, ...) so any prefix holds every class.
  const { train, test } = presplit
    ? { train: roundRobin(byClass(sets[0], classNames)), test: roundRobin(byClass(sets[1], classNames)) }
    : holdOutPerClass(byClass(sets[0], classNames));
  const baseDirs = presplit ? splitFolders : [dir, dir];
  return {
    train: await toSamples(baseDirs[0], train, classNames, size),
    test: test.length > 0 ? await toSamples(baseDirs[1], test, classNames, size) : undefined,
    classNames,
    what,
  };
}
