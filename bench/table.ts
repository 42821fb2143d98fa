/** Plain aligned text tables. */

export type Cell = string | number;

function show(cell: Cell): string {
  return typeof cell === 'number' ? String(cell) : cell;
}

/** `leftColumns` columns from the left are left-aligned (labels); the others are right-aligned (figures). */
export function formatTable(headers: readonly string[], rows: readonly (readonly Cell[])[], leftColumns = 1): string {
  const text = [headers.map(String), ...rows.map((r) => r.map(show))];
  const widths = headers.map((_, c) => Math.max(...text.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r.map((cell, c) => (c < leftColumns ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(text[0]!), rule, ...text.slice(1).map(line)].join('\n');
}

/** A figure rounded to 3 significant digits, without exponent notation for ordinary magnitudes. */
export function figure(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(x))));
  return x.toFixed(Math.min(digits, 6));
}

export function seconds(s: number): string {
  return `${figure(s)} s`;
}

/** "12.3×" for a ratio a/b, or "-" when either side is missing. */
export function ratio(a: number | undefined, b: number | undefined): string {
  return a !== undefined && b !== undefined && b > 0 ? `${figure(a / b)}×` : '-';
}
