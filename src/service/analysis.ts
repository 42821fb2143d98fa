/**
 * One document, compiled once, and the indexes every editor feature reads:
 * where each layer statement is and which IR nodes (and facts) came from it,
 * which tensor names and blocks are defined where and used where.
 *
 * The compiler runs exactly once per text (`analyse`); the indexes are built
 * on first use and only read the AST, IR and facts the pipeline produced, so
 * the CLI pays nothing for them.
 */
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { compileIRJson, compileSource, type CompileResult } from '../ir/pipeline.js';
import type { IR, IRInput, IRNode, ModelFacts, NodeFacts, Shape } from '../ir/types.js';
import type { ParseCache } from '../parser/parse.js';
import type { InputStmt, LayerChain, LayerStmt, ModelFile, OptionNode, Value } from '../parser/ast.js';
import { compareSpans, LineIndex, spanKey, spanWithin } from './text.js';

export interface Analysis {
  readonly file: string;
  readonly source: string;
  readonly text: LineIndex;
  /** Whether the text is IR JSON rather than `.model` source. */
  readonly isIR: boolean;
  readonly ast?: ModelFile;
  readonly ir?: IR;
  readonly facts?: ModelFacts;
  readonly diagnostics: readonly Diagnostic[];
  /** The indexes, built on first use. */
  index(): DocumentIndex;
}

/** IR files are recognised by their extension; everything else is `.model` text. */
export function isIRFile(file: string): boolean {
  return file.toLowerCase().endsWith('.json');
}

/**
 * Compiles `source` (named `file`, which picks `.model` text or IR JSON) once,
 * for every feature. `parseCache`: one per open document, kept from one
 * version of its text to the next (an editor's case).
 */
export function analyse(source: string, file: string, parseCache?: ParseCache): Analysis {
  const isIR = isIRFile(file);
  const result: CompileResult = isIR ? compileIRJson(source, file) : compileSource(source, file, parseCache);
  let index: DocumentIndex | undefined;
  let text: LineIndex | undefined;
  const analysis: Analysis = {
    file,
    source,
    get text() {
      return (text ??= new LineIndex(source));
    },
    isIR,
    ast: result.ast,
    ir: result.ir,
    facts: result.facts,
    diagnostics: result.diagnostics,
    index: () => (index ??= buildIndex(analysis)),
  };
  return analysis;
}

/** A layer statement, or a block call written like one, where it stands in the text. */
export interface LayerSite {
  stmt: LayerStmt;
  /** The block whose body holds it; undefined at top level. */
  block?: BlockSite;
  /** Whether `stmt.kind` names a block rather than a layer kind. */
  isBlockCall: boolean;
  /** Whether the step is a tensor a chain starts from (`image -> ...`, `_`), not a layer. */
  isTensor: boolean;
}

export interface InputSite {
  span: Span;
  /** The IR input it became, when lowering got that far. */
  input?: IRInput;
}

export interface BlockSite {
  name: string;
  nameSpan: Span;
  span: Span;
  /** Whether it lists its tensor inputs (`block fuse[a, b]`); otherwise its one input is `in`. */
  hasInputs: boolean;
}

export type SymbolKind = 'tensor' | 'block' | 'param';

export interface SymbolDef {
  name: string;
  kind: SymbolKind;
  /** Where the name is written in its definition. */
  nameSpan: Span;
  /** The whole defining statement. */
  span: Span;
  /** The block it is local to; undefined for top-level names and for blocks themselves. */
  scope?: BlockSite;
}

export interface SymbolRef {
  span: Span;
  def: SymbolDef;
}

/** What inference says about the nodes one statement (or block call) produced. */
export interface SiteFacts {
  nodes: IRNode[];
  facts: NodeFacts[];
  /** The output shape of the last node, when it is known. */
  outputShape?: Shape;
  params: number;
  macs: number;
  /** For a statement in a block body: how many calls of the block there are (its facts are the first call's). */
  calls?: number;
}

export interface DocumentIndex {
  layers: LayerSite[];
  inputs: InputSite[];
  blocks: BlockSite[];
  definitions: SymbolDef[];
  references: SymbolRef[];
  /** IR nodes and facts that the layer statement at `site` produced. */
  factsOf(site: LayerSite): SiteFacts;
  factsOfNode(id: string): NodeFacts | undefined;
  /** The shape of a defined tensor, when known. */
  shapeOf(def: SymbolDef): Shape | undefined;
  /** Every place `def` is written: its definition first, then its uses in reading order. */
  occurrences(def: SymbolDef): Span[];
}

type AstObject = Record<string, unknown>;

const isObject = (v: unknown): v is AstObject => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isSpan = (v: unknown): v is Span =>
  isObject(v) && typeof v.line === 'number' && typeof v.column === 'number' && typeof v.endLine === 'number' && typeof v.endColumn === 'number';

/** The spans of the block calls a node came from, outermost first. */
export function callSpans(node: IRNode): Span[] {
  return (node.callPath ?? []).flatMap((call) => (call.span ? [call.span] : []));
}

/** The names of the block calls a node came from (`residual`, `residual_1`), outermost first. */
function callNames(node: IRNode): string[] {
  return (node.callPath ?? []).map((call) => call.name);
}

/** A candidate use of a name: an identifier value, or a map key. */
interface NameUse {
  name: string;
  span: Span;
  block?: BlockSite;
}

function buildIndex(a: Analysis): DocumentIndex {
  const layers: LayerSite[] = [];
  const inputs: InputSite[] = [];
  const blocks: BlockSite[] = [];
  const definitions: SymbolDef[] = [];
  const uses: NameUse[] = [];

  const define = (name: string, kind: SymbolKind, nameSpan: Span, span: Span, scope?: BlockSite) =>
    definitions.push({ name, kind, nameSpan, span, scope });

  /*
   * The walk over the AST: every identifier value and every step's head is a
   * candidate use of a name; names are defined by a chain's `target`
   * (`x = ...`), an input's `name`, and a block (its name, its `[a, b]`
   * inputs, its parameters).
   */
  const value = (v: Value, block: BlockSite | undefined): void => {
    switch (v.type) {
      case 'ident':
        uses.push({ name: v.name, span: v.span, block });
        break;
      case 'list':
        for (const item of v.items) value(item, block);
        break;
      case 'call':
        for (const arg of v.args) value(arg, block);
        for (const o of v.options) value(o.value, block);
        break;
      case 'map':
        // Map keys name outputs (`loss={cls: ..., box: ...}`).
        for (const entry of v.entries) {
          uses.push({ name: entry.key, span: entry.keySpan, block });
          value(entry.value, block);
        }
        break;
      case 'expr':
        value(v.left, block);
        value(v.right, block);
        break;
    }
  };
  const options = (opts: readonly OptionNode[], block: BlockSite | undefined) => {
    for (const o of opts) value(o.value, block);
  };
  const input = (s: InputStmt, block: BlockSite | undefined) => {
    inputs.push({ span: s.span });
    if (s.name) define(s.name.name, 'tensor', s.name.span, s.span, block);
    value(s.shape, block);
    options(s.options, block);
  };
  const chain = (c: LayerChain, block: BlockSite | undefined) => {
    if (c.target) define(c.target.name, 'tensor', c.target.span, c.span, block);
    if (c.input) input(c.input, block);
    for (const stmt of c.layers) {
      layers.push({ stmt, block, isBlockCall: false, isTensor: false });
      // A step's head may be a tensor name (`image -> conv 32 3`); it resolves only if one is defined.
      uses.push({ name: stmt.kind, span: stmt.kindSpan, block });
      for (const v of stmt.positional) value(v, block);
      options(stmt.options, block);
    }
  };
  for (const s of a.ast?.statements ?? []) {
    switch (s.type) {
      case 'block': {
        const site: BlockSite = { name: s.name, nameSpan: s.nameSpan, span: s.span, hasInputs: (s.inputs?.length ?? 0) > 0 };
        blocks.push(site);
        define(s.name, 'block', s.nameSpan, s.span);
        for (const n of s.inputs ?? []) define(n.name, 'tensor', n.span, n.span, site);
        for (const p of s.params) {
          define(p.name, 'param', p.nameSpan, p.span, site);
          if (p.default) value(p.default, site);
        }
        for (const c of s.body) chain(c, site);
        break;
      }
      case 'chain':
        chain(s, undefined);
        break;
      case 'input':
        input(s, undefined);
        break;
      case 'output':
        for (const n of s.names) uses.push({ name: n.name, span: n.span });
        break;
      case 'compile':
      case 'fit':
        options(s.options, undefined);
        break;
      case 'model':
        break;
    }
  }


  // Block calls look like layers; once the blocks are known, they can be told apart.
  const blockByName = new Map(blocks.map((b) => [b.name, b]));
  for (const site of layers) site.isBlockCall = blockByName.has(site.stmt.kind);

  // Names resolve in their own scope: a block sees its parameters, inputs and bindings; the top level sees its own.
  const scopes = new Map<BlockSite | undefined, Map<string, SymbolDef>>();
  const blockDefs = new Map<string, SymbolDef>();
  for (const def of definitions) {
    if (def.kind === 'block') {
      blockDefs.set(def.name, def);
      continue;
    }
    let scope = scopes.get(def.scope);
    if (!scope) scopes.set(def.scope, (scope = new Map()));
    if (!scope.has(def.name)) scope.set(def.name, def);
  }
  const references: SymbolRef[] = [];
  for (const use of uses) {
    const def = scopes.get(use.block)?.get(use.name);
    if (def && spanKey(def.nameSpan) !== spanKey(use.span)) references.push({ span: use.span, def });
  }
  for (const site of layers) {
    const def = blockDefs.get(site.stmt.kind);
    if (def) references.push({ span: site.stmt.kindSpan, def });
  }
  references.sort((x, y) => compareSpans(x.span, y.span));
  const referenceAt = new Set(references.filter((r) => r.def.kind !== 'block').map((r) => spanKey(r.span)));
  for (const site of layers) {
    const k = site.stmt.kind;
    site.isTensor = site.stmt.positional.length === 0 && site.stmt.options.length === 0 && (k === '_' || k === 'in' || referenceAt.has(spanKey(site.stmt.kindSpan)));
  }

  // IR nodes by where they came from.
  const ownSpan = new Map<string, IRNode[]>();
  const outerCall = new Map<string, IRNode[]>();
  const order = new Map<string, number>();
  const irNodes = a.ir?.nodes ?? [];
  irNodes.forEach((node, i) => {
    order.set(node.id, i);
    if (node.span) push(ownSpan, spanKey(node.span), node);
    const calls = callSpans(node);
    if (calls.length > 0) push(outerCall, spanKey(calls[0]), node);
  });
  const factsById = new Map<string, NodeFacts>((a.facts?.nodes ?? []).map((f) => [f.id, f]));
  const inputBySpan = new Map((a.ir?.inputs ?? []).filter((i) => i.span).map((i) => [spanKey(i.span!), i]));
  for (const site of inputs) site.input = inputBySpan.get(spanKey(site.span));

  const siteFacts = new Map<LayerSite, SiteFacts>();
  const factsOf = (site: LayerSite): SiteFacts => {
    let found = siteFacts.get(site);
    if (found) return found;
    const key = spanKey(site.stmt.span);
    let nodes: IRNode[];
    let calls: number | undefined;
    if (!site.block) {
      // Top level: the statement's own nodes (several with repeat=), or every node its block call expanded to.
      nodes = [...(ownSpan.get(key) ?? []).filter((n) => callSpans(n).length === 0), ...(outerCall.get(key) ?? [])];
      nodes.sort((x, y) => order.get(x.id)! - order.get(y.id)!);
    } else {
      // In a block body: the nodes of the first call that used this statement.
      const all = ownSpan.get(key) ?? [];
      // Calls are told apart by name: the copies of a `repeat=` share the call's span.
      const callKey = (n: IRNode) => callNames(n).join('/');
      const firstCall = all.length > 0 ? callKey(all[0]) : '';
      nodes = all.filter((n) => callKey(n) === firstCall);
      calls = new Set(all.map(callKey)).size;
    }
    found = summarise(nodes, factsById);
    if (calls !== undefined) found.calls = calls;
    siteFacts.set(site, found);
    return found;
  };

  const shapeOf = (def: SymbolDef): Shape | undefined => {
    if (def.kind !== 'tensor') return undefined;
    const input = inputs.find((i) => spanWithin(def.nameSpan, i.span))?.input;
    if (input) return a.facts?.inputShapes[input.id] ?? [null, ...input.shape];
    // A binding holds the output of its chain's last layer.
    let last: LayerSite | undefined;
    for (const site of layers) if (site.block === def.scope && spanWithin(site.stmt.span, def.span)) last = site;
    return last ? factsOf(last).outputShape : undefined;
  };

  const occurrences = (def: SymbolDef): Span[] => [def.nameSpan, ...references.filter((r) => r.def === def).map((r) => r.span)];

  return { layers, inputs, blocks, definitions, references, factsOf, factsOfNode: (id) => factsById.get(id), shapeOf, occurrences };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function summarise(nodes: IRNode[], factsById: ReadonlyMap<string, NodeFacts>): SiteFacts {
  const facts = nodes.map((n) => factsById.get(n.id)).filter((f): f is NodeFacts => f !== undefined);
  const last = nodes.length > 0 ? factsById.get(nodes[nodes.length - 1].id) : undefined;
  let params = 0;
  let macs = 0;
  for (const f of facts) {
    params += f.trainableParams + f.nonTrainableParams;
    macs += f.macs;
  }
  return { nodes, facts, outputShape: last?.outputShape ?? undefined, params, macs };
}
