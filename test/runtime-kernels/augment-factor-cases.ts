/**
 * Augmentation factors given as a pair [lower, upper] with lower = upper:
 * the draw is then that value, so the output is fixed and follows from
 * Keras 3's transform matrices by hand (keras/src/layers/preprocessing/
 * image_preprocessing/random_zoom.py, random_rotation.py,
 * random_translation.py), here for a 5x5 image whose pixel (y, x) holds
 * 10·y + x + 1, read by nearest neighbour (rounded half away from zero) with
 * constant fill 0. Shared by the TensorFlow.js and the PyTorch tests.
 */
export const SIZE = 5;
export const IMAGE: number[] = Array.from({ length: SIZE * SIZE }, (_, i) => 10 * Math.floor(i / SIZE) + (i % SIZE) + 1);

/** The image each output pixel (y, x) reads from, or null where it reads outside (the fill, 0). */
function readsFrom(source: (y: number, x: number) => [number, number] | null): number[] {
  return Array.from({ length: SIZE * SIZE }, (_, i) => {
    const at = source(Math.floor(i / SIZE), i % SIZE);
    return at === null || at.some((v) => v < 0 || v >= SIZE) ? 0 : IMAGE[at[0] * SIZE + at[1]]!;
  });
}

export const FACTOR_CASES: { name: string; line: string; expected: number[] }[] = [
  {
    // Zoom (zx, zy) = (1 − 0.5, 1 + 0.5) about the centre 2: in_x = 0.5·x + 1, in_y = 1.5·y − 1.
    name: 'randomzoom [0.5, 0.5] width_factor=[-0.5, -0.5]: 1.5× out vertically, 0.5× in horizontally',
    line: 'randomzoom [0.5, 0.5] width_factor=[-0.5, -0.5] fill_mode=constant interpolation=nearest',
    expected: readsFrom((y, x) => {
      const rows = [-1, 1, 2, 4, 5]; // 1.5·y − 1: −1, 0.5 → 1, 2, 3.5 → 4, 5
      const cols = [1, 2, 2, 3, 3]; // 0.5·x + 1: 1, 1.5 → 2, 2, 2.5 → 3, 3
      return [rows[y]!, cols[x]!];
    }),
  },
  {
    // An angle of 0.25 of a full turn: in_x = cos·x − sin·y + ... = 4 − y, in_y = sin·x + cos·y + ... = x.
    name: 'randomrotation [0.25, 0.25]: a quarter turn',
    line: 'randomrotation [0.25, 0.25] fill_mode=constant interpolation=nearest',
    expected: readsFrom((y, x) => [x, SIZE - 1 - y]),
  },
  {
    // Shifts of (−0.2·5, 0.2·5) = (−1, 1): in_y = y + 1, in_x = x − 1.
    name: 'randomtranslation [-0.2, -0.2] [0.2, 0.2]: one row up and one column right',
    line: 'randomtranslation [-0.2, -0.2] [0.2, 0.2] fill_mode=constant interpolation=nearest',
    expected: readsFrom((y, x) => [y + 1, x - 1]),
  },
];

/**
 * RandomContrast with factor [0.1, 0.5]: each image's contrast is drawn from
 * [1 − 0.1, 1 + 0.5] (Keras 3's documented range), so over many images the
 * contrasts reach beyond what 0.1 alone allows (above 1.1) but never leave
 * [0.9, 1.5]. Images of 2x2 pixels, 1, 2, 3, 4 times the image's number + 1,
 * and a value_range wide enough that nothing is clipped.
 */
export const CONTRAST = { line: 'randomcontrast [0.1, 0.5] value_range=[-10000, 10000]', batch: 64, lower: 0.9, upper: 1.5 };
export const CONTRAST_IMAGES: number[] = Array.from({ length: CONTRAST.batch * 4 }, (_, i) => (Math.floor(i / 4) + 1) * ((i % 4) + 1));

/** Each image's contrast: its first pixel's distance from the image's mean, after over before. */
export function contrasts(before: number[], after: number[]): number[] {
  return Array.from({ length: before.length / 4 }, (_, b) => {
    const pixels = before.slice(4 * b, 4 * b + 4);
    const mean = pixels.reduce((s, v) => s + v, 0) / 4;
    return (after[4 * b]! - mean) / (pixels[0]! - mean);
  });
}
