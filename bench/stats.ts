/** Small statistics for repeated timings. */

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function minimum(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : Math.min(...xs);
}
