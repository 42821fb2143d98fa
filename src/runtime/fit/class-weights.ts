/**
 * Keras's class_weight as one weight per sample: the class of each label
 * (the argmax of a one-hot row, else the rounded value) looks up its weight;
 * classes the map leaves out weigh 1, as in Keras 3. `balanced` is
 * scikit-learn's n_samples / (n_classes * count of the class), over the
 * classes present.
 */

export type ClassWeight = 'balanced' | Record<string, number>;

/** The class index of each of `count` labels stored row-major with `width` values per sample. */
export function classesOf(y: ArrayLike<number>, count: number): number[] {
  const width = y.length / count;
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    if (width === 1) out[i] = Math.round(y[i]);
    else {
      let best = 0;
      for (let k = 1; k < width; k++) if (y[i * width + k] > y[i * width + best]) best = k;
      out[i] = best;
    }
  }
  return out;
}

/** The weight of each class index that occurs, for `balanced` or a given map. */
export function classWeightTable(classWeight: ClassWeight, classes: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const c of classes) counts.set(c, (counts.get(c) ?? 0) + 1);
  const table = new Map<number, number>();
  for (const [c, n] of counts) {
    table.set(c, classWeight === 'balanced' ? classes.length / (counts.size * n) : (classWeight[String(c)] ?? 1));
  }
  return table;
}

/** One weight per sample. */
export function sampleWeightsFromClasses(classWeight: ClassWeight, y: ArrayLike<number>, count: number): Float32Array {
  const classes = classesOf(y, count);
  const table = classWeightTable(classWeight, classes);
  return Float32Array.from(classes, (c) => table.get(c)!);
}
