/**
 * Lowering one layer statement (`conv 32 5x5 relu strides=2`) to the pieces of
 * an IR node: its definition, Keras arguments with defaults, and spans. A
 * wrapper (`bidirectional lstm 64 merge_mode=concat`) hands the inner kind,
 * the remaining positionals and the options it does not own to its inner layer.
 */
import { error, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { LayerStmt, OptionNode } from '../parser/ast.js';
import { findLayer, layerNames } from '../layers/index.js';
import type { LayerDef } from '../layers/types.js';
import { COMMON_OPTIONS } from '../layers/params.js';
import type { ArgValue } from './types.js';
import { bindArgs, findSpec, signatureKeys, type Signature } from './bind.js';
import { describeValue } from './values.js';
import { didYouMean } from '../runtime/data/suggest.js';

export interface LoweredLayer {
  def: LayerDef;
  args: Record<string, ArgValue>;
  argSpans: Record<string, Span>;
  /** The user's `name=`, if any. */
  name?: { value: string; span: Span };
  /** A wrapper's inner layer definition; the inner layer is always given Keras's default name. */
  wrapped?: LayerDef;
}

const NAME_KEY = 'name';

/** A layer's own signature is the same for every layer of its kind: made once per kind. */
const ownSignatures = new WeakMap<LayerDef, Signature>();

function signatureOf(def: LayerDef, positional = def.positional): Signature {
  const options = [...def.options, ...COMMON_OPTIONS];
  if (positional !== def.positional) return { label: def.kind, positional, options, extraKeys: [NAME_KEY], example: def.example };
  let sig = ownSignatures.get(def);
  if (!sig) ownSignatures.set(def, (sig = { label: def.kind, positional, options, extraKeys: [NAME_KEY], example: def.example }));
  return sig;
}

/** Splits off the `name=` option, which names the node and is not a Keras argument of the kind. */
function takeName(options: readonly OptionNode[], diagnostics: Diagnostic[]): { rest: OptionNode[]; name?: { value: string; span: Span } } {
  const rest: OptionNode[] = [];
  let name: { value: string; span: Span } | undefined;
  for (const opt of options) {
    if (opt.key !== NAME_KEY) {
      rest.push(opt);
      continue;
    }
    if (name) diagnostics.push(error('E-DUPLICATE-OPTION', '`name` is given twice', opt.span, 'remove one of them'));
    else if (opt.value.type !== 'ident') diagnostics.push(error('E-ARG-TYPE', `a layer name must be a name like \`encoder_1\`; got ${describeValue(opt.value)}`, opt.value.span));
    else name = { value: opt.value.name, span: opt.value.span };
  }
  return { rest, name };
}

export function lowerLayer(stmt: LayerStmt, diagnostics: Diagnostic[]): LoweredLayer | undefined {
  const def = findLayer(stmt.kind);
  if (!def) {
    diagnostics.push(error('E-UNKNOWN-KIND', `unknown layer kind \`${stmt.kind}\``, stmt.kindSpan, didYouMean(stmt.kind, layerNames(), 'a layer kind such as')));
    return undefined;
  }
  const { rest, name } = takeName(stmt.options, diagnostics);
  const wrapSpec = def.positional[0]?.arg.type === 'layer' ? def.positional[0] : undefined;
  if (!wrapSpec) {
    const bound = bindArgs(signatureOf(def), stmt.positional, rest, stmt.span);
    diagnostics.push(...bound.diagnostics);
    if (name) bound.argSpans[NAME_KEY] = name.span;
    return { def, args: bound.args, argSpans: bound.argSpans, name };
  }
  return lowerWrapper(stmt, def, rest, name, diagnostics);
}

function lowerWrapper(
  stmt: LayerStmt,
  def: LayerDef,
  options: OptionNode[],
  name: { value: string; span: Span } | undefined,
  diagnostics: Diagnostic[],
): LoweredLayer | undefined {
  const wrapSpec = def.positional[0];
  const kinds = wrapSpec.arg.type === 'layer' ? wrapSpec.arg.kinds : [];
  const first = stmt.positional[0];
  const example = def.example ? `, e.g. \`${def.example}\`` : '';
  if (!first || first.type !== 'ident') {
    const got = first ? `; got ${describeValue(first)}` : '';
    diagnostics.push(error('E-MISSING-ARG', `\`${def.kind}\` needs the layer it wraps (${kinds.join(', ')}) first${got}`, first?.span ?? stmt.span, `write the layer after the kind${example}`));
    return undefined;
  }
  const innerDef = findLayer(first.name);
  if (!innerDef || !kinds.includes(innerDef.kind)) {
    const accepted = kinds.flatMap((k) => [k, ...(findLayer(k)?.aliases ?? [])]);
    const what = innerDef ? `\`${def.kind}\` cannot wrap \`${first.name}\`` : `unknown layer kind \`${first.name}\``;
    diagnostics.push(error('E-UNKNOWN-KIND', what, first.span, didYouMean(first.name, accepted, 'a layer kind such as')));
    return undefined;
  }

  // Options the wrapper declares (and the common ones, `trainable`: Keras freezes the whole wrapper) stay with it; every other option belongs to the inner layer.
  const ownSpecs = [...def.options, ...COMMON_OPTIONS];
  const own = options.filter((o) => findSpec(ownSpecs, o.key));
  const inner = options.filter((o) => !findSpec(ownSpecs, o.key));
  const innerSig: Signature = {
    ...signatureOf(innerDef),
    label: `${def.kind} ${innerDef.kind}`,
    extraKeys: [...signatureKeys(signatureOf(def, [])), NAME_KEY],
  };
  const innerBound = bindArgs(innerSig, stmt.positional.slice(1), inner, stmt.span);
  const outer = bindArgs(signatureOf(def, []), [], own, stmt.span);
  diagnostics.push(...innerBound.diagnostics, ...outer.diagnostics);

  const args: Record<string, ArgValue> = {
    layer: { kind: innerDef.kind, kerasClass: innerDef.kerasClass, name: '', args: innerBound.args },
    ...outer.args,
  };
  const argSpans: Record<string, Span> = { layer: first.span, ...outer.argSpans };
  for (const [k, span] of Object.entries(innerBound.argSpans)) argSpans[`layer/args/${k}`] = span;
  if (name) argSpans[NAME_KEY] = name.span;
  return { def, args, argSpans, name, wrapped: innerDef };
}
