/**
 * Hover: what the thing under the cursor is and what the compiler knows about
 * it, in Markdown. On a layer: its Keras class, arguments with their defaults
 * and docs (from the layer definition), input and output shapes, parameters
 * and MACs. On an option or positional value: that argument. On a tensor
 * name: its shape and where it was made. On a block call: the block's
 * signature and what the call expanded to.
 */
import type { Span } from '../diagnostics/diagnostic.js';
import type { OptionNode, Statement } from '../parser/ast.js';
import { formatShape } from '../layers/index.js';
import type { Shape } from '../ir/types.js';
import type { Analysis, BlockSite, LayerSite, SymbolDef } from './analysis.js';
import {
  COMPILE_OPTIONS,
  FIT_OPTIONS,
  OPTIMIZERS,
  describeArgType,
  describeDefault,
  describeParam,
  formatArg,
  layerDefsOf,
  optionSpec,
  positionalSpec,
  type LayerDef,
  type ParamSpec,
} from './catalog.js';
import { groupDigits } from './hints.js';
import { spanContains, spanToRange, type Position, type Range } from './text.js';

export interface Hover {
  /** Markdown. */
  contents: string;
  range: Range;
}

export function hover(a: Analysis, pos: Position): Hover | undefined {
  const index = a.index();
  const at = (span: Span) => spanContains(span, pos);

  const ref = index.references.find((r) => at(r.span));
  const def = ref?.def ?? index.definitions.find((d) => at(d.nameSpan));
  if (def) {
    const span = ref?.span ?? def.nameSpan;
    const site = def.kind === 'block' ? index.layers.find((l) => l.isBlockCall && at(l.stmt.kindSpan)) : undefined;
    return { contents: site ? blockCallHover(a, site, def) : symbolHover(a, def), range: spanToRange(span) };
  }

  const site = index.layers.find((l) => at(l.stmt.span));
  const implicit = site && implicitTensorHover(a, site, pos);
  if (implicit) return implicit;
  if (site && !site.isBlockCall) {
    const defs = layerDefsOf(site.stmt);
    const layer = defs.def;
    if (!layer) return undefined;
    const option = site.stmt.options.find((o) => at(o.span));
    if (option) {
      const spec = optionSpec(defs, option.key);
      if (spec) return { contents: paramHover(spec, `${layer.kind} option`), range: spanToRange(option.span) };
    }
    const positional = site.stmt.positional.findIndex((v) => at(v.span));
    const spec = positional >= 0 ? positionalSpec(defs, positional) : undefined;
    if (spec) {
      return { contents: paramHover(spec, `${layer.kind} argument ${positional + 1}`), range: spanToRange(site.stmt.positional[positional].span) };
    }
    return { contents: layerHover(a, site, layer), range: spanToRange(site.stmt.span) };
  }

  const input = index.inputs.find((i) => at(i.span));
  if (input?.input) {
    const shape = a.facts?.inputShapes[input.input.id] ?? [null, ...input.input.shape];
    return { contents: `**Input** \`${input.input.name}\` · ${input.input.dtype}\n\nshape ${formatShape(shape)}`, range: spanToRange(input.span) };
  }

  for (const s of a.ast?.statements ?? []) {
    if (!at(s.span)) continue;
    if (s.type === 'compile' || s.type === 'fit') return sectionHover(s, pos);
    if (s.type === 'model') return { contents: modelHover(a), range: spanToRange(s.span) };
  }
  return undefined;
}

function paramHover(spec: ParamSpec, where: string): string {
  const aliases = spec.aliases?.length ? ` (alias ${spec.aliases.map((x) => `\`${x}\``).join(', ')})` : '';
  const d = describeDefault(spec);
  const dflt = d === undefined ? ' · required' : d === 'optional' ? ' · optional' : ` · default \`${d}\``;
  return `\`${spec.name}\`${aliases} — ${where}\n\n${describeArgType(spec)}${dflt}\n\n${spec.doc}`;
}

/**
 * `_` and `in` name no statement: their shape is that of the input the step
 * reads at that place, which the IR lists in the order the step names its
 * tensors (`add [_, x]`: the node's first input is `_`).
 */
function implicitTensorHover(a: Analysis, site: LayerSite, pos: Position): Hover | undefined {
  const stmt = site.stmt;
  const list = stmt.positional[0]?.type === 'list' ? stmt.positional[0].items : [];
  const item = list.findIndex((v) => v.type === 'ident' && (v.name === '_' || v.name === 'in') && spanContains(v.span, pos));
  const onHead = item < 0 && (stmt.kind === '_' || stmt.kind === 'in') && spanContains(stmt.kindSpan, pos);
  if (item < 0 && !onHead) return undefined;
  const name = item >= 0 ? (list[item] as { name: string }).name : stmt.kind;
  const what = name === '_' ? 'the tensor arriving here (from the left of `->`, or the previous statement)' : `the input of block \`${site.block?.name ?? '?'}\``;
  // A head reads its tensor through the next step; a list item is an input of this step.
  const steps = a.index().layers;
  const reader = onHead ? steps[steps.indexOf(site) + 1] : site;
  const node = reader ? a.index().factsOf(reader).nodes[0] : undefined;
  const id = node?.inputs[onHead ? 0 : item];
  const shape = id === undefined ? undefined : shapeOfTensor(a, id);
  const span = item >= 0 ? list[item].span : stmt.kindSpan;
  return { contents: `\`${name}\` — ${what}, ${shape ? formatShape(shape) : 'shape unknown'}`, range: spanToRange(span) };
}

/** The signature and argument list of a layer kind, as its definition declares them. */
export function layerDoc(def: LayerDef): string {
  const aliases = def.aliases.length ? ` (alias ${def.aliases.map((x) => `\`${x}\``).join(', ')})` : '';
  const tensors = def.arity === 'n' ? ' [a, b, …]' : '';
  const lines = [`**${def.kerasClass}** · \`${def.kind}\`${aliases}`, '', def.doc, '', '```mlc', `${def.kind}${tensors} ${def.positional.map(describeParam).join(' ')}`.trimEnd(), '```'];
  const args = [...def.positional, ...def.options];
  if (args.length > 0) {
    lines.push('');
    for (const p of args) {
      const d = describeDefault(p);
      const dflt = d === undefined ? '' : d === 'optional' ? ' (optional)' : ` = \`${d}\``;
      lines.push(`- \`${p.name}\`${dflt} (${describeArgType(p)}): ${p.doc}`);
    }
  }
  if (def.example) lines.push('', `Example: \`${def.example}\``);
  return lines.join('\n');
}

function layerHover(a: Analysis, site: LayerSite, def: LayerDef): string {
  const f = a.index().factsOf(site);
  const parts = [layerDoc(def)];
  if (f.nodes.length > 0) {
    const first = f.nodes[0];
    const inShapes = first.inputs.map((id) => shapeOfTensor(a, id)).filter((s): s is Shape => s !== undefined);
    const name = f.facts.length === 1 ? `\`${f.facts[0].name}\`` : f.nodes.length > 1 ? `${f.nodes.length} layers (\`${f.facts[0]?.name ?? first.name}\` …)` : `\`${first.name}\``;
    const shapes = `${inShapes.map(formatShape).join(' + ') || '?'} → ${f.outputShape ? formatShape(f.outputShape) : '?'}`;
    const calls = f.calls !== undefined && f.calls > 1 ? ` (first of ${f.calls} calls of \`${site.block?.name}\`)` : '';
    const counts = f.facts.length > 0 ? `\n\n${groupDigits(f.params)} params · ${groupDigits(f.macs)} MACs` : '';
    parts.push('---', `${name}${calls}: ${shapes}${counts}`);
  }
  return parts.join('\n\n');
}

function shapeOfTensor(a: Analysis, id: string): Shape | undefined {
  return a.facts?.inputShapes[id] ?? a.index().factsOfNode(id)?.outputShape ?? undefined;
}

function symbolHover(a: Analysis, def: SymbolDef): string {
  const where = `defined on line ${def.nameSpan.line}`;
  if (def.kind === 'param') return `\`${def.name}\` — parameter of block \`${def.scope?.name}\`\n\n${where}`;
  if (def.kind === 'block') return blockSignature(a, def);
  const shape = a.index().shapeOf(def);
  const scope = def.scope ? ` in block \`${def.scope.name}\`` : '';
  return `\`${def.name}\` — tensor${scope}, ${shape ? formatShape(shape) : 'shape unknown'}\n\n${where}: \`${a.text.line(def.span.line - 1).trim()}\``;
}

function blockSignature(a: Analysis, def: SymbolDef): string {
  const block = a.index().blocks.find((b) => b.nameSpan === def.nameSpan);
  const header = block ? headerText(a, block) : `block ${def.name}`;
  return `\`\`\`mlc\n${header}\n\`\`\``;
}

/** The block's first line up to its `{`: `block residual(filters, stride=1)`. */
function headerText(a: Analysis, block: BlockSite): string {
  const line = a.text.line(block.span.line - 1).slice(block.span.column - 1);
  const brace = line.indexOf('{');
  return (brace >= 0 ? line.slice(0, brace) : line).trim();
}

function blockCallHover(a: Analysis, site: LayerSite, def: SymbolDef): string {
  const f = a.index().factsOf(site);
  const size = `${f.nodes.length} layer${f.nodes.length === 1 ? '' : 's'} · ${groupDigits(f.params)} params · ${groupDigits(f.macs)} MACs`;
  const out = f.outputShape ? `\n\noutput ${formatShape(f.outputShape)}` : '';
  return `${blockSignature(a, def)}\n\nthis call expands to ${size}${out}`;
}

function modelHover(a: Analysis): string {
  const name = a.ir?.name ?? 'model';
  if (!a.facts) return `**model** \`${name}\``;
  const f = a.facts;
  return `**model** \`${name}\`\n\n${f.nodes.length} layers · ${groupDigits(f.totalParams)} params (${groupDigits(f.trainableParams)} trainable) · ${groupDigits(f.totalMacs)} MACs`;
}

function sectionHover(s: Statement & { type: 'compile' | 'fit' }, pos: Position): Hover | undefined {
  const option = s.options.find((o) => spanContains(o.span, pos));
  if (!option) return undefined;
  if (s.type === 'fit') {
    const spec = FIT_OPTIONS.find((p) => p.name === option.key || p.aliases?.includes(option.key));
    return spec ? { contents: paramHover(spec, 'fit option'), range: spanToRange(option.span) } : undefined;
  }
  return compileOptionHover(option, pos);
}

function compileOptionHover(option: OptionNode, pos: Position): Hover | undefined {
  const v = option.value;
  if (option.key === 'optimizer' && spanContains(v.span, pos)) {
    const name = v.type === 'ident' ? v.name : v.type === 'call' ? v.callee : undefined;
    const specs = name !== undefined && Object.hasOwn(OPTIMIZERS, name) ? OPTIMIZERS[name] : undefined;
    if (specs) {
      const args = specs.map((p) => `- \`${p.name}\`${p.default !== undefined ? ` = \`${formatArg(p.default)}\`` : ''}: ${p.doc}`);
      return { contents: `**optimizer** \`${name}\`\n\n${args.join('\n')}`, range: spanToRange(v.span) };
    }
  }
  const doc = COMPILE_OPTIONS.find((o) => o.name === option.key);
  return doc ? { contents: `\`${doc.name}\` — compile option\n\n${doc.doc}`, range: spanToRange(option.span) } : undefined;
}
