/**
 * What the language service knows about names, all read from the compiler's
 * own tables (the layer registry, the training catalogs): completion, hover
 * and semantic tokens never keep a list of their own.
 */
import { ACTIVATIONS } from '../layers/activations.js';
import { findLayer, LAYER_DEFS, type LayerDef, type ParamSpec } from '../layers/index.js';
import { FIT_OPTIONS, LOSSES, METRICS, OPTIMIZERS, allNames } from '../ir/training.js';
import { KEYWORDS } from '../parser/tokens.js';
import { COMMON_OPTIONS } from '../layers/params.js';
import { factorBounds } from '../layers/augmentation.js';

export { ACTIVATIONS, FIT_OPTIONS, LOSSES, METRICS, OPTIMIZERS, LAYER_DEFS, findLayer, allNames };
export type { LayerDef, ParamSpec };

/** The statement keywords, lower case, as the parser knows them. */
export const STATEMENT_KEYWORDS: readonly string[] = KEYWORDS;

/** The `compile` section's options, with what each takes. */
export const COMPILE_OPTIONS: readonly { name: string; doc: string }[] = [
  { name: 'loss', doc: 'The loss to minimise: a Keras loss name, or a map keyed by output name.' },
  { name: 'optimizer', doc: 'The optimizer: a name such as `adam`, or a call such as `adam(lr=1e-4)`.' },
  { name: 'metrics', doc: 'Metrics reported during training, e.g. `[accuracy]`.' },
  { name: 'loss_weights', doc: 'With several outputs: a map from output name to the weight of its loss.' },
];

/** `units`, `activation=linear`, `kernel_size=[5, 5]`: an argument as a signature shows it. */
export function describeParam(spec: ParamSpec): string {
  if (spec.defaultFrom) return `${spec.name}=${spec.defaultFrom}`;
  if (spec.default === undefined || spec.default === null) return spec.optional ? `${spec.name}?` : spec.name;
  return `${spec.name}=${formatArg(spec.default)}`;
}

export function formatArg(value: unknown): string {
  if (Array.isArray(value)) {
    return value.every((v) => typeof v === 'number') && value.length > 1 ? value.join('x') : `[${value.map(formatArg).join(', ')}]`;
  }
  if (value !== null && typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${k}: ${formatArg(v)}`).join(', ')}}`;
  return String(value);
}

/** `= 1x1`, `= pool_size`, or nothing for a required argument: its default as docs show it. */
export function describeDefault(spec: ParamSpec): string | undefined {
  if (spec.defaultFrom) return `same as ${spec.defaultFrom}`;
  if (spec.default === undefined || spec.default === null) return spec.optional ? 'optional' : undefined;
  return formatArg(spec.default);
}

/** What a parameter takes, in a few words: `int ≥ 1`, `valid | same`, `float in [0, 1)`. */
export function describeArgType(spec: ParamSpec): string {
  const a = spec.arg;
  switch (a.type) {
    case 'int':
    case 'float': {
      const low = a.min !== undefined ? `${a.min}` : a.type === 'float' && a.exclusiveMin !== undefined ? `${a.exclusiveMin}` : undefined;
      const lowOpen = a.min === undefined && a.type === 'float' && a.exclusiveMin !== undefined;
      const high = a.max !== undefined ? `${a.max}` : a.type === 'float' && a.exclusiveMax !== undefined ? `${a.exclusiveMax}` : undefined;
      const highOpen = a.max === undefined && a.type === 'float' && a.exclusiveMax !== undefined;
      if (low !== undefined && high !== undefined) return `${a.type} in ${lowOpen ? '(' : '['}${low}, ${high}${highOpen ? ')' : ']'}`;
      if (low !== undefined) return `${a.type} ${lowOpen ? '>' : '≥'} ${low}`;
      if (high !== undefined) return `${a.type} ${highOpen ? '<' : '≤'} ${high}`;
      return a.type;
    }
    case 'enum':
      return a.values.length <= 6 ? a.values.join(' | ') : `one of ${a.values.length} names`;
    case 'tuple':
      return a.length === 1 ? 'int' : `${a.length} ints, e.g. ${Array(a.length).fill(3).join('x')} (one int stands for all)`;
    case 'shape':
      return 'shape, e.g. 7x7x64';
    case 'floats':
      return 'number or list of numbers, e.g. [0.5, 2]';
    case 'factor':
      return `number or pair [lower, upper], each in ${factorBounds(a)}`;
    case 'layer':
      return `a layer: ${a.kinds.join(', ')}`;
    case 'regularizer':
      return 'l2(F) | l1(F) | l1_l2(l1=F, l2=F)';
    default:
      return a.type;
  }
}

/** The names a value of `spec` may take, when it takes names (enum values, activations, wrapped kinds). */
export function valueChoices(spec: ParamSpec): readonly string[] {
  const a = spec.arg;
  if (a.type === 'enum') return a.values;
  if (a.type === 'bool') return ['true', 'false'];
  if (a.type === 'layer') return a.kinds;
  return [];
}

/** The required positional arguments of a kind: what a completion snippet asks for. */
export function requiredPositional(def: LayerDef): readonly ParamSpec[] {
  return def.positional.filter((p) => p.default === undefined && !p.optional);
}

/**
 * The definition of a layer statement's kind and, for a wrapper
 * (`bidirectional lstm 64`), of the layer it wraps: the options a wrapper
 * does not declare belong to that inner layer, and its positionals follow the inner kind.
 */
export function layerDefsOf(stmt: { kind: string; positional: readonly { type: string }[] }): { def?: LayerDef; inner?: LayerDef } {
  const def = findLayer(stmt.kind);
  if (!def || def.positional[0]?.arg.type !== 'layer') return { def };
  const first = stmt.positional[0] as { type: string; name?: string } | undefined;
  return { def, inner: first?.type === 'ident' && first.name ? findLayer(first.name) : undefined };
}

/** The spec of the positional value at `i` (0-based) of a statement of this kind. */
export function positionalSpec(defs: { def?: LayerDef; inner?: LayerDef }, i: number): ParamSpec | undefined {
  const { def, inner } = defs;
  if (!def) return undefined;
  const list = inner && i > 0 ? inner.positional : def.positional;
  const at = inner && i > 0 ? i - 1 : i;
  return list.length === 0 ? undefined : list[Math.min(at, list.length - 1)];
}

/** The spec for option `key` of a statement of this kind, aliases included. */
export function optionSpec(defs: { def?: LayerDef; inner?: LayerDef }, key: string): ParamSpec | undefined {
  const matches = (p: ParamSpec) => p.name === key || (p.aliases?.includes(key) ?? false);
  return [defs.def, defs.inner].flatMap((d) => (d ? [...d.options, ...d.positional] : [])).concat(COMMON_OPTIONS).find(matches);
}
