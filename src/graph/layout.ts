/**
 * Geometry for a ModelGraph, computed by dagre (a layered, Sugiyama-style
 * layout): box sizes from their text, then positions, edge routes, edge
 * label positions and the frames of block calls (dagre's compound graphs).
 * Text is measured as a monospace font (0.6 em per character), which is what
 * the SVG asks for, so no font metrics or browser are needed.
 */
import dagre from '@dagrejs/dagre';
import type { GraphBox, GraphEdge, GraphGroup, ModelGraph } from './model-graph.js';

export const FONT_SIZE = 12;
export const CHAR_WIDTH = FONT_SIZE * 0.6;
export const LINE_HEIGHT = 16;
const BOX_PAD_X = 10;
const BOX_PAD_Y = 7;
const EDGE_LABEL_SIZE = 11;
export const MARGIN = 16;

export interface Point {
  x: number;
  y: number;
}

/** Rectangles are given by their top-left corner. */
export interface PlacedBox {
  box: GraphBox;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  edge: GraphEdge;
  points: Point[];
  /** Where the label's text starts (left end of its baseline's middle). */
  label: Point;
}

export interface PlacedGroup {
  group: GraphGroup;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  boxes: PlacedBox[];
  edges: PlacedEdge[];
  groups: PlacedGroup[];
}

export function textWidth(text: string, size = FONT_SIZE): number {
  return [...text].length * size * 0.6;
}

function boxSize(box: GraphBox): { width: number; height: number } {
  const lines = [box.title, ...box.details];
  return {
    width: Math.ceil(Math.max(...lines.map((l) => textWidth(l))) + 2 * BOX_PAD_X),
    height: lines.length * LINE_HEIGHT + 2 * BOX_PAD_Y,
  };
}

export function layoutGraph(graph: ModelGraph): GraphLayout {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 34, edgesep: 14, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  for (const group of graph.groups) {
    g.setNode(group.id, { label: group.label, width: 0, height: 0 });
  }
  for (const group of graph.groups) if (group.parent) g.setParent(group.id, group.parent);
  for (const box of graph.boxes) {
    g.setNode(box.id, boxSize(box));
    if (box.group) g.setParent(box.id, box.group);
  }
  for (const edge of graph.edges) {
    g.setEdge(edge.from, edge.to, {
      width: textWidth(edge.label, EDGE_LABEL_SIZE) + 6,
      height: EDGE_LABEL_SIZE + 2,
      labelpos: 'r',
      labeloffset: 6,
    });
  }
  dagre.layout(g);

  const boxes: PlacedBox[] = graph.boxes.map((box) => {
    const n = g.node(box.id) as { x: number; y: number; width: number; height: number };
    return { box, x: n.x - n.width / 2, y: n.y - n.height / 2, width: n.width, height: n.height };
  });
  const groups: PlacedGroup[] = graph.groups.map((group) => {
    const n = g.node(group.id) as { x: number; y: number; width: number; height: number };
    return { group, x: n.x - n.width / 2, y: n.y - n.height / 2, width: n.width, height: n.height };
  });
  const edges: PlacedEdge[] = graph.edges.map((edge) => {
    const e = g.edge(edge.from, edge.to) as { points: Point[]; x: number; y: number; width: number };
    return { edge, points: e.points, label: { x: e.x - e.width / 2 + 3, y: e.y } };
  });

  // Everything drawn, frames and labels included, inside a margin.
  const right = Math.max(...boxes.map((b) => b.x + b.width), ...groups.map((f) => f.x + f.width), ...edges.map((e) => e.label.x + textWidth(e.edge.label, EDGE_LABEL_SIZE)));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height), ...groups.map((f) => f.y + f.height));
  const left = Math.min(...boxes.map((b) => b.x), ...groups.map((f) => f.x), ...edges.map((e) => e.label.x));
  // A frame's label sits on its top edge, half above it.
  const top = Math.min(...boxes.map((b) => b.y), ...groups.map((f) => f.y - FONT_SIZE / 2));
  const dx = MARGIN - left;
  const dy = MARGIN - top;
  for (const b of boxes) {
    b.x += dx;
    b.y += dy;
  }
  for (const f of groups) {
    f.x += dx;
    f.y += dy;
  }
  for (const e of edges) {
    e.points = e.points.map((p) => ({ x: p.x + dx, y: p.y + dy }));
    e.label = { x: e.label.x + dx, y: e.label.y + dy };
  }
  return { width: Math.ceil(right + dx + MARGIN), height: Math.ceil(bottom + dy + MARGIN), boxes, edges, groups };
}

export { EDGE_LABEL_SIZE };
