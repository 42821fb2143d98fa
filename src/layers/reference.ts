/**
 * The layer reference (grammar/layers.md), derived from the layer definitions
 * themselves so that the documentation cannot drift from what `mlc check`
 * accepts.
 */
import type { ArgValue } from '../ir/types.js';
import { LAYER_DEFS } from './index.js';
import type { ArgType, LayerDef, ParamSpec } from './types.js';
import { COMMON_OPTIONS } from './params.js';
import { factorBounds } from './augmentation.js';

function describeType(arg: ArgType): string {
  switch (arg.type) {
    case 'int':
    case 'float': {
      const bounds: string[] = [];
      if ('min' in arg && arg.min !== undefined) bounds.push(`≥ ${arg.min}`);
      if ('exclusiveMin' in arg && arg.exclusiveMin !== undefined) bounds.push(`> ${arg.exclusiveMin}`);
      if ('max' in arg && arg.max !== undefined) bounds.push(`≤ ${arg.max}`);
      if ('exclusiveMax' in arg && arg.exclusiveMax !== undefined) bounds.push(`< ${arg.exclusiveMax}`);
      return bounds.length ? `${arg.type} ${bounds.join(', ')}` : arg.type;
    }
    case 'bool':
      return '`true` / `false`';
    case 'string':
      return 'name';
    case 'enum':
      return arg.values.map((v) => `\`${v}\``).join(' ');
    case 'tuple':
      return arg.length === 1 ? 'int' : `${Array(arg.length).fill('N').join('x')} (or one N)`;
    case 'floats':
      return `number or list of numbers${arg.min === undefined ? '' : ` ≥ ${arg.min}`}, e.g. \`[0.5, 2]\``;
    case 'factor':
      return `number or pair \`[lower, upper]\`, each in ${factorBounds(arg)}`;
    case 'shape':
      return 'dims, e.g. `28x28x1`, or a list with one -1 to infer, e.g. `[-1, 16]` (`?` is refused)';
    case 'layer':
      return `a layer: ${arg.kinds.map((k) => `\`${k}\``).join(', ')}`;
    case 'regularizer':
      return '`l2(F)`, `l1(F)`, `l1_l2(l1=F, l2=F)`';
  }
}

function describeDefault(p: ParamSpec): string {
  if (p.defaultFrom) return `= \`${p.defaultFrom}\``;
  if (p.default === undefined) return p.optional ? '—' : 'required';
  return `\`${formatValue(p.default)}\``;
}

function formatValue(v: ArgValue): string {
  if (Array.isArray(v)) return v.every((x) => typeof x === 'number') ? v.join('x') : `[${v.map(formatValue).join(', ')}]`;
  return v === null ? '—' : String(v);
}

function paramRow(p: ParamSpec): string {
  const names = [p.name, ...(p.aliases ?? [])].map((n) => `\`${n}\``).join(', ');
  return `| ${names} | ${describeType(p.arg)} | ${describeDefault(p)} | ${p.doc.replace(/\|/g, '\\|')} |`;
}

function section(def: LayerDef): string {
  const names = [def.kind, ...def.aliases].map((n) => `\`${n}\``).join(', ');
  const signature = [def.kind, ...def.positional.map((p) => (p.default !== undefined || p.optional ? `[${p.name}]` : p.name))].join(' ');
  const lines = [
    `## ${def.kind}`,
    '',
    `${def.doc}`,
    '',
    `Names: ${names}. Keras class: \`${def.kerasClass}\`.`,
    '',
    '```',
    signature,
    // A kind without arguments (flatten, globalmaxpool) has its example as its signature.
    ...(def.example === signature ? [] : [def.example]),
    '```',
    '',
  ];
  const params = [...def.positional.map((p) => ({ ...p, doc: `(positional) ${p.doc}` })), ...def.options];
  if (params.length) {
    lines.push('| argument | type | default | meaning |', '|---|---|---|---|', ...params.map(paramRow), '');
  }
  return lines.join('\n');
}

export function generateLayerReference(): string {
  const index = LAYER_DEFS.map((d) => `| \`${d.kind}\` | ${d.aliases.map((a) => `\`${a}\``).join(', ') || '—'} | ${d.kerasClass} | \`${d.example}\` |`);
  return [
    '# Layer reference',
    '',
    '<!-- Generated from src/layers by `npm run grammar`; do not edit by hand. -->',
    '',
    'Every layer is written `KIND positional... key=value...`; option keys are the Keras argument names, with the aliases listed. Defaults are filled in exactly as Keras fills them.',
    '',
    `Every kind also takes \`name=\` (the layer's name) and ${COMMON_OPTIONS.map((o) => `\`${o.name}\` (${o.doc.replace(/\.$/, '')})`).join(', ')}.`,
    '',
    '| kind | aliases | Keras class | example |',
    '|---|---|---|---|',
    ...index,
    '',
    ...LAYER_DEFS.map(section),
  ].join('\n');
}

/** The markers around the generated layer table in docs/language.md. */
export const TABLE_BEGIN = '<!-- layer table: generated from src/layers by `npm run grammar` -->';
export const TABLE_END = '<!-- end of layer table -->';

/** docs/language.md's table of every kind: names, positional and option arguments, Keras class. */
export function generateLayerTable(): string {
  const rows = LAYER_DEFS.map((d) => {
    const names = [d.kind, ...d.aliases].map((n) => `\`${n}\``).join(', ');
    const inputs = d.arity === 'n' ? ['[a, b, ...]'] : [];
    const positional = [...inputs, ...d.positional.map((p) => (p.default !== undefined || p.optional ? `[${p.name}]` : p.name))].join(' ') || '—';
    const options = d.options.map((o) => o.name).join(', ') || '—';
    // A rank-dependent class (global pooling) shows both: 1D for sequences, 2D for images.
    const cls = d.classForRank ? `${d.classForRank(3)} / ${d.classForRank(4)} (by input rank)` : d.kerasClass;
    return `| ${names} | ${positional} | ${options} | ${cls} |`;
  });
  return [TABLE_BEGIN, '| kind (aliases) | positional | options | Keras class |', '|---|---|---|---|', ...rows, TABLE_END].join('\n');
}

/** `doc` with its generated layer table replaced by the current one. */
export function withLayerTable(doc: string): string {
  const begin = doc.indexOf(TABLE_BEGIN);
  const end = doc.indexOf(TABLE_END);
  if (begin < 0 || end < begin) throw new Error('docs/language.md has lost the markers of its generated layer table');
  return doc.slice(0, begin) + generateLayerTable() + doc.slice(end + TABLE_END.length);
}
