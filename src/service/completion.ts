/**
 * Completion. The line being typed rarely parses, so the context is read from
 * the text before the cursor (which statement, which layer of a `->` chain,
 * whether a `key=` is open), and the choices come from the compiler's tables
 * and the document's index: layer kinds with a snippet of their required
 * positional arguments, the options valid for the kind at the cursor, their
 * values, activations, losses, optimizers, metrics, and the tensor names and
 * blocks in scope.
 */
import type { Analysis, BlockSite } from './analysis.js';
import {
  ACTIVATIONS,
  COMPILE_OPTIONS,
  FIT_OPTIONS,
  LAYER_DEFS,
  LOSSES,
  METRICS,
  OPTIMIZERS,
  STATEMENT_KEYWORDS,
  describeArgType,
  formatArg,
  layerDefsOf,
  optionSpec,
  requiredPositional,
  valueChoices,
  type ParamSpec,
} from './catalog.js';
import { layerDoc } from './hover.js';
import { spanContains, type Position } from './text.js';
import { COMMON_OPTIONS } from '../layers/params.js';

export type CompletionKind = 'keyword' | 'layer' | 'block' | 'option' | 'value' | 'activation' | 'loss' | 'optimizer' | 'metric' | 'tensor' | 'param';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** What to insert when it differs from the label; a snippet (`${1:units}`) when `snippet` is set. */
  insertText?: string;
  snippet?: boolean;
}

const WORD_AT_END = /[A-Za-z_][A-Za-z0-9_]*$/;

export function completions(a: Analysis, pos: Position): CompletionItem[] {
  const line = a.text.line(pos.line).slice(0, pos.character);
  if (line.includes('#')) return [];
  const word = WORD_AT_END.exec(line)?.[0] ?? '';
  const before = line.slice(0, line.length - word.length);
  const block = a.index().blocks.find((b) => spanContains(b.span, pos));
  const first = /^\s*([A-Za-z_]\w*)/.exec(line)?.[1];

  // A value after `key=`.
  const key = /([A-Za-z_]\w*)\s*=\s*\[?\s*(?:[A-Za-z_]\w*\s*,\s*)*$/.exec(before)?.[1];
  const atStatementStart = /^\s*$/.test(before);
  const binding = /^\s*[A-Za-z_]\w*\s*=\s*$/.test(before);

  if (first === 'compile' && !atStatementStart) return key ? compileValues(key, before) : compileOptions(before);
  if (first === 'fit' && !atStatementStart) return key ? valuesOf(FIT_OPTIONS.find((p) => p.name === key || p.aliases?.includes(key))) : sectionOptions(FIT_OPTIONS, before);
  if (first === 'model' && !atStatementStart) return [];
  if (first === 'input' && !atStatementStart) return [];

  if (atStatementStart) return [...keywordItems(), ...kindItems(a), ...tensorItems(a, block)];
  if (binding) return [...kindItems(a), ...tensorItems(a, block), { label: 'input', kind: 'keyword' }];

  // The layer being written: the text after the last `->` (or after a binding's `=`).
  const arrow = before.lastIndexOf('->');
  const segment = arrow >= 0 ? before.slice(arrow + 2) : before.replace(/^\s*[A-Za-z_]\w*\s*=\s*/, '');
  if (/^\s*$/.test(segment)) return kindItems(a);
  const kind = /^\s*([A-Za-z_]\w*)/.exec(segment)?.[1];
  if (!kind) return tensorItems(a, block);
  const positional = segment.trim().split(/\s+/).slice(1).filter((t) => !t.includes('=')).map((t) => ({ type: /^[A-Za-z_]\w*$/.test(t) ? 'ident' : 'value', name: t }));
  const defs = layerDefsOf({ kind, positional });
  const openList = (segment.match(/\[/g)?.length ?? 0) > (segment.match(/]/g)?.length ?? 0);
  if (openList && !key) return tensorItems(a, block);
  if (key) return [...valuesOf(optionSpec(defs, key)), ...paramItems(a, block)];
  if (!defs.def) return paramItems(a, block);

  const given = new Set([...segment.matchAll(/([A-Za-z_]\w*)\s*=/g)].map((m) => m[1]));
  const options = [...(defs.def?.options ?? []), ...(defs.inner?.options ?? []), ...COMMON_OPTIONS].filter((p) => !given.has(p.name) && !p.aliases?.some((x) => given.has(x)));
  const items = options.map((p) => optionItem(p));
  items.push({ label: 'name', kind: 'option', detail: 'layer name', insertText: 'name=', documentation: 'The layer\'s name (Keras `name=`); by default Keras\'s own (`dense`, `dense_1`, …).' });
  const takesActivation = [...defs.def.positional, ...(defs.inner?.positional ?? [])].some((p) => p.name === 'activation');
  if (takesActivation && !given.has('activation')) items.push(...activationItems());
  if (defs.def.positional[0]?.arg.type === 'layer' && positional.length === 0) {
    items.unshift(...valueChoices(defs.def.positional[0]).map((k): CompletionItem => ({ label: k, kind: 'layer' })));
  }
  items.push(...paramItems(a, block));
  return items;
}

function keywordItems(): CompletionItem[] {
  return STATEMENT_KEYWORDS.map((k) => ({ label: k, kind: 'keyword' as const }));
}

/** Every layer kind and alias, with a snippet of its required positional arguments, and the blocks defined in the file. */
function kindItems(a: Analysis): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const def of LAYER_DEFS) {
    const required = requiredPositional(def);
    for (const name of [def.kind, ...def.aliases]) {
      // A merge takes its tensors first: `add [${1:a}, ${2:b}]`.
      const tensors = def.arity === 'n' ? ' [${1:a}, ${2:b}]' : '';
      const first = def.arity === 'n' ? 3 : 1;
      const args = tensors + required.map((p, i) => ` \${${i + first}:${p.name}}`).join('');
      items.push({
        label: name,
        kind: 'layer',
        detail: def.kerasClass,
        documentation: layerDoc(def),
        insertText: args ? `${name}${args}` : name,
        snippet: args !== '',
      });
    }
  }
  for (const b of a.index().blocks) items.push({ label: b.name, kind: 'block', detail: `block (line ${b.nameSpan.line})` });
  return items;
}

function tensorItems(a: Analysis, block: BlockSite | undefined): CompletionItem[] {
  const index = a.index();
  const items: CompletionItem[] = index.definitions
    .filter((d) => d.kind === 'tensor' && d.scope === block)
    .map((d) => ({ label: d.name, kind: 'tensor', detail: shapeDetail(index.shapeOf(d)) }));
  if (block && !block.hasInputs) items.push({ label: 'in', kind: 'tensor', detail: `the input of \`${block.name}\`` });
  return items;
}

function shapeDetail(shape: readonly (number | null)[] | undefined): string {
  return shape ? `tensor ${shape.slice(1).map((d) => d ?? '?').join('×')}` : 'tensor';
}

/** Inside a block, its value parameters may stand wherever a value may. */
function paramItems(a: Analysis, block: BlockSite | undefined): CompletionItem[] {
  if (!block) return [];
  return a.index().definitions.filter((d) => d.kind === 'param' && d.scope === block).map((d) => ({ label: d.name, kind: 'param', detail: `parameter of ${block.name}` }));
}

function optionItem(p: ParamSpec): CompletionItem {
  const dflt = p.default !== undefined && p.default !== null ? ` (default ${formatArg(p.default)})` : '';
  return { label: p.name, kind: 'option', detail: `${describeArgType(p)}${dflt}`, documentation: p.doc, insertText: `${p.name}=` };
}

function valuesOf(spec: ParamSpec | undefined): CompletionItem[] {
  if (!spec) return [];
  if (spec.name === 'activation') return activationItems();
  return valueChoices(spec).map((v) => ({ label: v, kind: 'value', detail: spec.name }));
}

function activationItems(): CompletionItem[] {
  return ACTIVATIONS.map((x) => ({ label: x, kind: 'activation', detail: 'activation' }));
}

function sectionOptions(specs: readonly { name: string; doc: string }[], before: string): CompletionItem[] {
  const given = new Set([...before.matchAll(/([A-Za-z_]\w*)\s*=/g)].map((m) => m[1]));
  return specs.filter((s) => !given.has(s.name)).map((s) => ({ label: s.name, kind: 'option', documentation: s.doc, insertText: `${s.name}=` }));
}

function compileOptions(before: string): CompletionItem[] {
  // Inside `adam(`: the optimizer's own arguments.
  const call = /([A-Za-z_]\w*)\(([^)]*)$/.exec(before);
  if (call && Object.hasOwn(OPTIMIZERS, call[1])) return sectionOptions(OPTIMIZERS[call[1]], call[2]);
  return sectionOptions(COMPILE_OPTIONS, before);
}

function compileValues(key: string, before: string): CompletionItem[] {
  const call = /([A-Za-z_]\w*)\(([^)]*)$/.exec(before);
  if (call && Object.hasOwn(OPTIMIZERS, call[1])) {
    return valuesOf(OPTIMIZERS[call[1]].find((p) => p.name === key || p.aliases?.includes(key)));
  }
  const names = (table: Record<string, readonly string[]>) => Object.keys(table);
  switch (key) {
    case 'loss':
      return names(LOSSES).map((l) => ({ label: l, kind: 'loss', detail: 'loss' }));
    case 'metrics':
      return names(METRICS).map((m) => ({ label: m, kind: 'metric', detail: 'metric' }));
    case 'optimizer':
      return Object.entries(OPTIMIZERS).map(([name, specs]) => ({
        label: name,
        kind: 'optimizer',
        detail: 'optimizer',
        documentation: specs.map((p) => `- \`${p.name}\` = \`${formatArg(p.default)}\`: ${p.doc}`).join('\n'),
      }));
    default:
      return [];
  }
}
