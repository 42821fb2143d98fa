/**
 * `mlc graph`'s pure core: IR + facts -> the picture's content
 * (./model-graph.ts) -> geometry (./layout.ts) -> SVG (./svg.ts), or straight
 * to Graphviz DOT (./dot.ts). No file system, no rendering library.
 */
import type { IR, ModelFacts } from '../ir/types.js';
import { renderDot } from './dot.js';
import { layoutGraph } from './layout.js';
import { buildModelGraph, type GraphOptions } from './model-graph.js';
import { renderSvg } from './svg.js';

export { buildModelGraph, COLLAPSE_ABOVE_LAYERS, type CallFrame, type GraphOptions, type ModelGraph } from './model-graph.js';
export { layoutGraph, type GraphLayout } from './layout.js';

export interface Picture {
  text: string;
  /** Size in CSS pixels (SVG only). */
  width?: number;
  height?: number;
  collapsedLayers: number;
}

export function modelSvg(ir: IR, facts: ModelFacts | undefined, options: GraphOptions = {}): Picture {
  const graph = buildModelGraph(ir, facts, options);
  const layout = layoutGraph(graph);
  return { text: renderSvg(layout, ir.name), width: layout.width, height: layout.height, collapsedLayers: graph.collapsedLayers };
}

export function modelDot(ir: IR, facts: ModelFacts | undefined, options: GraphOptions = {}): Picture {
  const graph = buildModelGraph(ir, facts, options);
  return { text: renderDot(graph), collapsedLayers: graph.collapsedLayers };
}
