/**
 * The picture as Graphviz DOT, for people who lay graphs out with `dot`:
 * the same boxes, edges, shape labels and block-call clusters as the SVG,
 * with Graphviz choosing the geometry.
 */
import type { GraphBox, GraphGroup, ModelGraph } from './model-graph.js';

/** A DOT double-quoted string. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function nodeLine(box: GraphBox, indent: string): string {
  const shape = box.role === 'input' || box.role === 'output' ? 'shape=box, style="rounded,filled", fillcolor="#e8f1fb"' : box.role === 'block' ? 'shape=box3d' : 'shape=box';
  return `${indent}${quote(box.id)} [label=${quote([box.title, ...box.details].join('\n'))}, ${shape}];`;
}

export function renderDot(graph: ModelGraph): string {
  const children = new Map<string | undefined, GraphGroup[]>();
  for (const group of graph.groups) children.set(group.parent, [...(children.get(group.parent) ?? []), group]);
  const boxesIn = new Map<string | undefined, GraphBox[]>();
  for (const box of graph.boxes) boxesIn.set(box.group, [...(boxesIn.get(box.group) ?? []), box]);

  const lines: string[] = [];
  const emit = (group: string | undefined, indent: string) => {
    for (const box of boxesIn.get(group) ?? []) lines.push(nodeLine(box, indent));
    for (const sub of children.get(group) ?? []) {
      lines.push(`${indent}subgraph ${quote(`cluster_${sub.id}`)} {`);
      lines.push(`${indent}  label=${quote(sub.label)}; style="rounded,dashed";`);
      emit(sub.id, indent + '  ');
      lines.push(`${indent}}`);
    }
  };
  emit(undefined, '  ');
  return [
    `digraph ${quote(graph.name)} {`,
    '  rankdir=TB;',
    '  node [fontname="DejaVu Sans Mono", fontsize=11];',
    '  edge [fontname="DejaVu Sans Mono", fontsize=10];',
    ...lines,
    ...graph.edges.map((e) => `  ${quote(e.from)} -> ${quote(e.to)} [label=${quote(e.label)}];`),
    '}',
    '',
  ].join('\n');
}
