/**
 * Inlay hints: the shape each statement makes, as the compiler inferred it,
 * written after the statement: `→ 24×24×32 · 832 params` after a layer,
 * `→ 28×28×1` after an input, the output and total parameters after a block call.
 */
import type { Shape } from '../ir/types.js';
import type { Analysis, LayerSite } from './analysis.js';
import type { Position, Range } from './text.js';
import { spanToRange } from './text.js';

export interface InlayHint {
  position: Position;
  label: string;
  /** More detail on hover: layer name and Keras class, or the block call's size. */
  tooltip?: string;
}

/** `24×24×32`: a shape without its batch dimension, `?` for an unknown size; `scalar` for no dimensions. */
export function formatHintShape(shape: Shape): string {
  const dims = shape.slice(1);
  return dims.length === 0 ? 'scalar' : dims.map((d) => (d === null ? '?' : String(d))).join('×');
}

/** 1234567 -> "1,234,567". */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function paramsText(n: number): string {
  return `${groupDigits(n)} param${n === 1 ? '' : 's'}`;
}

/** The hints of every statement whose start lies in `range` (the whole document when absent). */
export function inlayHints(a: Analysis, range?: Range): InlayHint[] {
  const index = a.index();
  const inRange = (line: number) => !range || (line >= range.start.line && line <= range.end.line);
  const hints: InlayHint[] = [];
  for (const site of index.inputs) {
    const end = spanToRange(site.span).end;
    if (!inRange(end.line) || !site.input) continue;
    const shape = a.facts?.inputShapes[site.input.id] ?? [null, ...site.input.shape];
    hints.push({ position: end, label: `→ ${formatHintShape(shape)}`, tooltip: `input \`${site.input.name}\` (${site.input.dtype})` });
  }
  for (const site of index.layers) {
    const end = spanToRange(site.stmt.span).end;
    if (!inRange(end.line)) continue;
    const hint = layerHint(a, site);
    if (hint) hints.push({ position: end, ...hint });
  }
  hints.sort((x, y) => x.position.line - y.position.line || x.position.character - y.position.character);
  return hints;
}

function layerHint(a: Analysis, site: LayerSite): { label: string; tooltip?: string } | undefined {
  const f = a.index().factsOf(site);
  if (!f.outputShape) return undefined;
  const label = `→ ${formatHintShape(f.outputShape)} · ${paramsText(f.params)}`;
  if (site.isBlockCall) {
    return { label, tooltip: `block \`${site.stmt.kind}\`: ${f.nodes.length} layer${f.nodes.length === 1 ? '' : 's'}, ${paramsText(f.params)} in all` };
  }
  const names = f.facts.map((n) => `${n.name} (${n.kerasClass})`);
  const calls = f.calls !== undefined && f.calls > 1 ? ` (first of ${f.calls} calls)` : '';
  return { label, tooltip: names.join(', ') + calls };
}
