/**
 * The picture as SVG text: frames for block calls, edges with their shape
 * labels, then the boxes on top. Every element carries a class and the id of
 * what it stands for (`data-id`, `data-from`, `data-to`), so the drawing can
 * be styled or checked by structure.
 */
import { EDGE_LABEL_SIZE, FONT_SIZE, LINE_HEIGHT, type GraphLayout, type PlacedBox, type PlacedEdge, type PlacedGroup, type Point, textWidth } from './layout.js';

const FONT = "'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace";

/** Fill and stroke per family of layer kinds; anything else is neutral grey. */
const PALETTE: { test: RegExp; fill: string; stroke: string }[] = [
  { test: /^input$/, fill: '#e8f1fb', stroke: '#2f6fb3' },
  { test: /^output$/, fill: '#fbeee6', stroke: '#b3542f' },
  { test: /^conv/, fill: '#e6f0ff', stroke: '#4a78c2' },
  { test: /^(dense|embedding)$/, fill: '#e7f6ea', stroke: '#3f9155' },
  { test: /pool/, fill: '#f2ebfa', stroke: '#7d5ab8' },
  { test: /norm$/, fill: '#fdf6dc', stroke: '#b89a2d' },
  { test: /^(simplernn|lstm|gru|bidirectional)$/, fill: '#fdeee0', stroke: '#c07a35' },
  { test: /^(add|subtract|multiply|average|maximum|minimum|concat|concatenate|dot)$/, fill: '#e2f5f3', stroke: '#2f8f86' },
];
const LABEL_SIZE = FONT_SIZE - 1;
const NEUTRAL = { fill: '#f3f3f3', stroke: '#7a7a7a' };
const BLOCK = { fill: '#eef0f7', stroke: '#4b5578' };

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const n = (v: number) => String(Math.round(v * 10) / 10);

function colours(p: PlacedBox): { fill: string; stroke: string } {
  if (p.box.role === 'block') return BLOCK;
  return PALETTE.find((c) => c.test.test(p.box.kind)) ?? NEUTRAL;
}

function boxSvg(p: PlacedBox): string {
  const { fill, stroke } = colours(p);
  const rounded = p.box.role === 'input' || p.box.role === 'output' ? 14 : 4;
  const dash = p.box.role === 'block' ? ' stroke-dasharray="6 3"' : '';
  const lines = [p.box.title, ...p.box.details];
  const top = p.y + (p.height - lines.length * LINE_HEIGHT) / 2;
  const text = lines
    .map((line, i) => {
      const cls = i === 0 ? 'title' : 'detail';
      const style = i === 0 ? ' font-weight="bold" fill="#1d1d1d"' : ' fill="#555555"';
      const y = top + i * LINE_HEIGHT + LINE_HEIGHT / 2;
      return `<text class="${cls}" x="${n(p.x + p.width / 2)}" y="${n(y)}" text-anchor="middle" dominant-baseline="central"${style}>${escapeXml(line)}</text>`;
    })
    .join('');
  return (
    `<g class="node ${p.box.role}" data-id="${escapeXml(p.box.id)}" data-kind="${escapeXml(p.box.kind)}">` +
    `<rect x="${n(p.x)}" y="${n(p.y)}" width="${n(p.width)}" height="${n(p.height)}" rx="${rounded}" fill="${fill}" stroke="${stroke}" stroke-width="1.4"${dash}/>` +
    text +
    '</g>'
  );
}

/** A smooth route through dagre's points: straight ends, quadratic bends at the inner points. */
function pathData(points: readonly Point[]): string {
  if (points.length <= 2) return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${n(p.x)},${n(p.y)}`).join(' ');
  let d = `M${n(points[0]!.x)},${n(points[0]!.y)}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i]!;
    const next = points[i + 1]!;
    const mid = i === points.length - 2 ? next : { x: (p.x + next.x) / 2, y: (p.y + next.y) / 2 };
    d += ` Q${n(p.x)},${n(p.y)} ${n(mid.x)},${n(mid.y)}`;
  }
  return d;
}

function edgeSvg(e: PlacedEdge): string {
  return (
    `<g class="edge" data-from="${escapeXml(e.edge.from)}" data-to="${escapeXml(e.edge.to)}">` +
    `<path d="${pathData(e.points)}" fill="none" stroke="#666666" stroke-width="1.2" marker-end="url(#arrow)"/>` +
    `<text class="shape" x="${n(e.label.x)}" y="${n(e.label.y)}" dominant-baseline="central" font-size="${EDGE_LABEL_SIZE}" fill="#404040">${escapeXml(e.edge.label)}</text>` +
    '</g>'
  );
}

function groupSvg(f: PlacedGroup): string {
  return (
    `<g class="group" data-id="${escapeXml(f.group.id)}">` +
    `<rect x="${n(f.x)}" y="${n(f.y)}" width="${n(f.width)}" height="${n(f.height)}" rx="8" fill="#4b5578" fill-opacity="0.04" stroke="#4b5578" stroke-width="1" stroke-dasharray="5 3"/>` +
    // The label sits on the frame's top edge, over a patch of background, as a fieldset's legend does.
    `<rect x="${n(f.x + 8)}" y="${n(f.y - LABEL_SIZE / 2 - 1)}" width="${n(textWidth(f.group.label, LABEL_SIZE) + 8)}" height="${LABEL_SIZE + 2}" fill="#ffffff"/>` +
    `<text class="group-label" x="${n(f.x + 12)}" y="${n(f.y)}" dominant-baseline="central" font-size="${LABEL_SIZE}" fill="#4b5578">${escapeXml(f.group.label)}</text>` +
    '</g>'
  );
}

export function renderSvg(layout: GraphLayout, title: string): string {
  // Frames from the outside in, so inner frames are drawn over outer ones.
  const depth = (f: PlacedGroup) => f.group.id.split('/').length;
  const frames = [...layout.groups].sort((a, b) => depth(a) - depth(b));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="${FONT}" font-size="${FONT_SIZE}">`,
    `<title>${escapeXml(title)}</title>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#666666"/></marker></defs>',
    `<rect class="background" width="100%" height="100%" fill="#ffffff"/>`,
    ...frames.map(groupSvg),
    ...layout.edges.map(edgeSvg),
    ...layout.boxes.map(boxSvg),
    '</svg>',
    '',
  ].join('\n');
}

