/** Seeded shuffling: the same seed gives the same order on every machine and backend. */

/** mulberry32: a small, fast 32-bit PRNG; plenty for shuffling sample order. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random permutation of 0..n-1 (Fisher–Yates). */
export function permutation(n: number, random: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/**
 * The source of one epoch's shuffling order: it depends only on (seed,
 * epoch), with epochs counted from 1, so a resumed run shuffles as an
 * uninterrupted one would; without a seed, Math.random.
 */
export function epochRandom(seed: number | undefined, epoch: number): () => number {
  return seed === undefined ? Math.random : seededRandom(Math.imul(seed + 1, 0x9e3779b1) ^ epoch);
}
