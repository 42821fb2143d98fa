/**
 * "Did you mean ...?" for every name mlc knows (layer kinds, options,
 * activations, losses, optimizers, metrics, data sources, CSV columns): the
 * closest candidate by edit distance, if it is close enough to be a
 * plausible typo. It lives with the data loaders because `mlc emit` copies
 * that folder into standalone programs, which must not import the compiler;
 * the compiler imports it from here.
 */

/** Damerau–Levenshtein distance (optimal string alignment): a swap of two neighbours counts as one edit. */
export function editDistance(a: string, b: string): number {
  // Three rolling rows (the swap rule looks two rows back): a typo check runs
  // once per unknown name, and a file of thousands of them should not allocate a matrix each.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2] + 1);
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length];
}

/**
 * The candidate closest to `word`, or undefined when none is plausible.
 * Case and `_`/`-` are ignored first (`MaxPool`, `max-pool` find `maxpool`); otherwise a
 * candidate within a third of the word's length (at least 1, at most 3 edits) wins.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const fold = (s: string) => s.toLowerCase().replace(/[_-]/g, '');
  const folded = fold(word);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    const dist = fold(c) === folded ? 0 : editDistance(word.toLowerCase(), c.toLowerCase());
    if (dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  return best !== undefined && bestDistance <= limit ? best : undefined;
}

/** "did you mean `relu`?" or, when nothing is close, the list of what is accepted (shortened if long). */
export function didYouMean(word: string, candidates: readonly string[], what = 'one of'): string {
  const close = suggest(word, candidates);
  if (close !== undefined) return `did you mean \`${close}\`?`;
  return `expected ${what} ${listChoices(candidates)}`;
}

/**
 * `a`, `b`, `c`: all of them when there are few (up to `max` and a few more,
 * since "and 1 more" hides a choice to save a word), else the first `max`
 * and a count, so help lines stay short.
 */
export function listChoices(candidates: readonly string[], max = 12): string {
  const shown = (candidates.length <= max + ALWAYS_SHOWN_OVER_MAX ? candidates : candidates.slice(0, max)).map((c) => `\`${c}\``);
  const rest = candidates.length - shown.length;
  return shown.join(', ') + (rest > 0 ? ` and ${rest} more` : '');
}

/** Past `max`, this many more are still listed rather than counted. */
const ALWAYS_SHOWN_OVER_MAX = 4;
