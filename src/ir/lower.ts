/**
 * AST -> IR. Resolves names in their scopes (tensors, inputs, `_`, a block's
 * `in` and inputs), wires merges to every tensor they list, expands block
 * calls and `repeat=` (blocks leave no trace in the IR but each node's
 * `callPath`), binds positional values and options to Keras argument names
 * with every default filled in, keeps spans for later diagnostics, and names
 * the layers, each call a naming scope of its own (naming.ts).
 *
 * A v1 file is the special case of one unnamed input and statements that
 * each read the previous statement's output: its IR is what v1 made.
 */
import { error, warning, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { BlockStmt, InputStmt, LayerChain, LayerStmt, ModelFile, NameNode, OptionNode, SectionStmt, Value } from '../parser/ast.js';
import { findLayer, layerNames } from '../layers/index.js';
import { didYouMean, suggest } from '../runtime/data/suggest.js';
import { lowerLayer, type LoweredLayer } from './lower-layer.js';
import { lowerCompile, lowerFit, type OutputRef } from './lower-sections.js';
import { assignNames, settleRankClasses, type CallScope } from './naming.js';
import { resolveStatement, resolveValue, type ValueScope } from './resolve-values.js';
import { IR_VERSION, type IR, type IRFit, type IRInput, type IRNode, type Shape } from './types.js';
import { describeValue, inexactInteger, inexactIntegerError } from './values.js';

export interface LowerResult {
  ir?: IR;
  diagnostics: Diagnostic[];
  /**
   * Nodes whose output cannot be trusted: their statement had an error, or a
   * tensor they read did not lower. Inference leaves them unknown instead of
   * reporting what follows from the first mistake.
   */
  broken: ReadonlySet<string>;
}

export const INPUT_ID = 'input';
/** Keras 3's name for the implicit input layer. */
const DEFAULT_INPUT_NAME = 'input_layer';
const INPUT_OPTIONS = ['name', 'dtype'];
/** `_` is the tensor flowing in; `in` is a one-input block's input. Neither can be bound. */
const RESERVED = new Set(['_', 'in']);
const REPEAT = 'repeat';

/** A tensor: the id of the input or node that makes it, or undefined when its statement failed (already reported). */
interface Tensor {
  id: string | undefined;
}
const UNKNOWN: Tensor = { id: undefined };

/** A name bound in a scope. */
interface Binding {
  tensor: Tensor;
  span: Span;
}

/** What a statement sees: its tensors, the value parameters of the call it is in, and the tensor flowing in. */
interface Scope {
  names: Map<string, Binding>;
  values: ValueScope;
  /** The previous statement's output (in a one-input block, first `in`); undefined when nothing flows in. */
  previous?: Tensor;
  /** The call being expanded; undefined at top level. */
  call?: CallScope;
  block?: BlockStmt;
}

/** The tensor on the left of a step: a known one, or "whatever flows in", resolved when a step needs it. */
type Left = Tensor | 'implicit';

export function lower(file: ModelFile, defaultName: string): LowerResult {
  return new Lowering(file).run(defaultName);
}

class Lowering {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly inputs: IRInput[] = [];
  private readonly nodes: IRNode[] = [];
  private readonly broken = new Set<string>();
  /** Name slots (node ids, `id/layer` for a wrapper's inner layer) that get Keras default names. */
  private readonly autoNamed = new Set<string>();
  private readonly callOf = new Map<string, CallScope>();
  private readonly calls: CallScope[] = [];
  /** Blocks defined so far, in order; a block sees those before it. */
  private readonly blocks: BlockStmt[] = [];
  private readonly calledBlocks = new Set<BlockStmt>();
  /** Every block of the file by name, to tell "defined below" from "unknown". */
  private readonly allBlocks = new Map<string, BlockStmt>();
  /** Bindings, for the "never used" warning: each once, even when a block is called many times. */
  private readonly bindings = new Map<string, { name: string; span: Span; ids: Set<string> }>();
  /** The first layer with nothing flowing into it at top level, before any input. */
  private orphan?: LayerStmt;
  private firstLayer?: LayerStmt;

  constructor(private readonly file: ModelFile) {
    for (const s of file.statements) if (s.type === 'block' && !this.allBlocks.has(s.name)) this.allBlocks.set(s.name, s);
  }

  run(defaultName: string): LowerResult {
    const d = this.diagnostics;
    let name = defaultName;
    let modelSeen: Span | undefined;
    let compileStmt: SectionStmt | undefined;
    let fit: IRFit | undefined;
    let outputs: { names: NameNode[]; span: Span } | undefined;
    const sectionSeen = new Map<string, Span>();
    const top: Scope = { names: new Map(), values: { params: new Map() } };

    for (const stmt of this.file.statements) {
      switch (stmt.type) {
        case 'model':
          if (modelSeen) d.push(repeated('model', stmt.span, modelSeen));
          else {
            name = stmt.name;
            modelSeen = stmt.span;
          }
          break;
        case 'input':
          top.previous = this.input(stmt, top);
          break;
        case 'chain':
          top.previous = this.statement(stmt, top);
          break;
        case 'output':
          if (outputs) d.push(repeated('output', stmt.span, outputs.span, 'list every output on one `output` line'));
          else outputs = { names: stmt.names, span: stmt.span };
          break;
        case 'block':
          this.defineBlock(stmt);
          break;
        case 'compile':
        case 'fit': {
          const earlier = sectionSeen.get(stmt.type);
          if (earlier) {
            d.push(repeated(stmt.type, stmt.span, earlier));
            break;
          }
          sectionSeen.set(stmt.type, stmt.span);
          // `compile` maps are keyed by output names: lowered once the outputs are known.
          if (stmt.type === 'compile') compileStmt = stmt;
          else fit = lowerFit(stmt, d);
          break;
        }
      }
    }

    if (this.inputs.length === 0) d.push(noInput(this.file));
    else if (!this.firstLayer) d.push(error('E-NO-LAYERS', 'the model has no layers', this.inputs[0].span, 'add layers after `input`, one per line, e.g. `dense 10 softmax`'));

    const outputRefs = outputs ? this.outputRefs(outputs.names, top) : this.implicitOutput(top.previous);
    const ir: IR = { irVersion: IR_VERSION, name, inputs: this.inputs, nodes: this.nodes, outputs: outputRefs.map((o) => o.id) };
    // Outputs named by `output A B` are fed and reported by those names (data fields, NAME_loss); see src/ir/outputs.ts.
    if (outputRefs.length > 0 && outputRefs.every((o) => o.name !== undefined)) ir.outputNames = outputRefs.map((o) => o.name!);
    const compile = compileStmt && lowerCompile(compileStmt, d, outputRefs);
    if (compile) ir.compile = compile;
    if (fit) ir.fit = fit;
    settleRankClasses(ir);
    assignNames(ir, this.autoNamed, this.callOf, this.calls);
    for (const node of this.nodes) {
      const call = this.callOf.get(node.id);
      if (call) node.callPath = callPath(call);
    }
    this.warnUnused(ir);
    return { ir, diagnostics: dedupe(d), broken: this.broken };
  }

  // ---- statements -------------------------------------------------------

  private input(stmt: InputStmt, scope: Scope): Tensor {
    const d = this.diagnostics;
    if (this.orphan && this.inputs.length === 0) {
      const e = error('E-INPUT-ORDER', '`input` must come before the first layer', stmt.span, 'move the `input` line above the layers');
      e.related = [{ message: 'the first layer is here', span: this.orphan.span }];
      d.push(e);
    }
    const given = stmt.name?.name;
    const id = given === undefined ? INPUT_ID : /^n\d+$/.test(given) ? `input_${given}` : given;
    const earlier = this.inputs.find((i) => i.id === id);
    if (earlier) {
      if (given === undefined) d.push(repeated('input', stmt.span, earlier.span!, 'name each input to have several, e.g. `input image 28x28x1` and `input meta 10`'));
      else {
        const e = error('E-DUPLICATE-NAME', `input \`${given}\` is declared twice`, stmt.name!.span, 'give each input its own name');
        e.related = [{ message: `the first \`${given}\` is here`, span: earlier.span! }];
        d.push(e);
      }
      return UNKNOWN;
    }
    const input = lowerInput(stmt, id, given ?? DEFAULT_INPUT_NAME, d);
    this.inputs.push(input);
    const tensor = { id };
    if (stmt.name) this.bind(stmt.name, tensor, scope);
    return tensor;
  }

  /** One chain statement (at top level or in a block), bound to its target if it has one; its output. */
  private statement(chain: LayerChain, scope: Scope): Tensor {
    const out = this.chain(chain, scope);
    if (chain.target) this.bind(chain.target, out, scope);
    return out;
  }

  private chain(chain: LayerChain, scope: Scope): Tensor {
    let left: Left = 'implicit';
    let steps = chain.layers;
    if (chain.input) left = this.input(chain.input, scope);
    else {
      const head = this.tensorAt(steps[0], scope);
      if (head) {
        left = head;
        steps = steps.slice(1);
      }
    }
    steps.forEach((step, i) => (left = this.step(step, left, scope, i === 0 && !chain.input && left === 'implicit')));
    return left === 'implicit' ? this.flowingIn(scope, chain.layers[0], '_') : left;
  }

  /** The tensor a chain head names (`image`, `_`), or undefined when the head is a layer or block call. */
  private tensorAt(head: LayerStmt, scope: Scope): Tensor | undefined {
    if (head.positional.length > 0 || head.options.length > 0) return undefined;
    if (head.kind === '_') return this.flowingIn(scope, head, '_');
    return this.lookup(head.kind, scope)?.tensor;
  }

  private lookup(name: string, scope: Scope): Binding | undefined {
    return scope.names.get(name);
  }

  /** What flows into `step` from the previous statement; reported when nothing does. */
  private flowingIn(scope: Scope, step: LayerStmt, what: '_' | 'layer'): Tensor {
    if (scope.previous) return scope.previous;
    if (scope.block) {
      const subject = what === '_' ? '`_` has nothing flowing in' : `nothing flows into \`${step.kind}\``;
      this.diagnostics.push(
        error('E-NO-FLOW', `${subject}: block \`${scope.block.name}\` has named inputs, so its first statement starts from one of them`, step.span,
          `start from an input, e.g. \`${scope.block.inputs?.[0]?.name ?? 'a'} -> ${what === '_' ? '...' : step.kind}\``),
      );
      return UNKNOWN;
    }
    if (what === '_') {
      this.diagnostics.push(error('E-NO-FLOW', '`_` has nothing flowing in: no statement comes before it', step.span, 'start the chain from a tensor by its name, e.g. `image -> conv 32 3`'));
      return UNKNOWN;
    }
    // Before any input: said once, by E-INPUT-ORDER or E-NO-INPUT.
    this.orphan ??= step;
    return UNKNOWN;
  }

  /** One step of a chain after its head tensor (or the head itself when it is a layer or block call); its output. */
  private step(step: LayerStmt, left: Left, scope: Scope, isHead: boolean): Tensor {
    const d = this.diagnostics;
    if (step.kind === '_' || this.lookup(step.kind, scope)) {
      d.push(
        error('E-NOT-A-LAYER', `\`${step.kind}\` is a tensor, not a layer`, step.kindSpan,
          isHead ? `a tensor starts a chain on its own: \`${step.kind} -> dense 10\`` : `to combine it with the tensor on the left, merge them, e.g. \`add [_, ${step.kind}]\``),
      );
      return UNKNOWN;
    }
    this.firstLayer ??= step;
    const block = this.visibleBlock(step, scope);
    if (block === null) return UNKNOWN;
    if (block) return this.call(block, step, left, scope);
    const def = findLayer(step.kind);
    if (!def) {
      this.unknownStep(step, scope, isHead);
      return UNKNOWN;
    }
    const mark = d.length;
    const resolved = resolveStatement(step, scope.values, d);
    const { count, stmt } = takeRepeat(resolved, d);
    if (def.arity === 'n') {
      if (count !== 1) d.push(error('E-REPEAT', `\`repeat\` applies to one-input layers and block calls, not to the merge \`${def.kind}\``, step.span, 'write the merges out one by one'));
      const list = stmt.positional[0];
      if (list?.type !== 'list') {
        d.push(error('E-MERGE-INPUTS', `\`${def.kind}\` needs the tensors it merges, in a list first`, list?.span ?? step.span, `e.g. \`${def.example}\`; \`_\` is the tensor flowing in`));
        return UNKNOWN;
      }
      const inputs = list.items.map((item) => this.listedTensor(item, left, scope, step));
      const lowered = lowerLayer({ ...stmt, positional: stmt.positional.slice(1) }, d);
      return lowered ? this.node(step, lowered, inputs, scope, errorsSince(d, mark)) : UNKNOWN;
    }
    let out = left === 'implicit' ? this.flowingIn(scope, step, 'layer') : left;
    const name = stmt.options.find((o) => o.key === 'name');
    for (let copy = 1; copy <= count; copy++) {
      const named = count > 1 && name?.value.type === 'ident' ? withOption(stmt, name, `${name.value.name}_${copy}`) : stmt;
      const lowered = lowerLayer(named, d);
      if (!lowered) return UNKNOWN;
      out = this.node(step, lowered, [out], scope, errorsSince(d, mark));
    }
    return out;
  }

  /** An item of a merge's or a block call's tensor list: a tensor name, or `_` (the tensor on the left). */
  private listedTensor(item: Value, left: Left, scope: Scope, step: LayerStmt): Tensor {
    if (item.type !== 'ident') {
      this.diagnostics.push(error('E-MERGE-INPUTS', `\`${step.kind}\` lists tensors by name; got ${describeValue(item)}`, item.span, 'e.g. `add [_, x]`'));
      return UNKNOWN;
    }
    if (item.name === '_') return left === 'implicit' ? this.flowingIn(scope, step, '_') : left;
    const found = this.lookup(item.name, scope);
    if (found) return found.tensor;
    this.undefinedName(item.name, item.span, scope);
    return UNKNOWN;
  }

  private undefinedName(name: string, span: Span, scope: Scope): void {
    if (name === 'in') return this.inOutsideBlock(span, scope);
    const names = [...scope.names.keys()];
    const help = names.length > 0 ? didYouMean(name, names, 'a tensor:') : 'define it first, e.g. `x = dense 10`, or name an input: `input x 784`';
    this.diagnostics.push(error('E-UNDEFINED', `\`${name}\` is not defined`, span, help));
  }

  /** `in` where no one-input block's input is in scope. */
  private inOutsideBlock(span: Span, scope: Scope): void {
    const why = scope.block ? `block \`${scope.block.name}\` has named inputs (${scope.block.inputs?.map((i) => i.name).join(', ')}), not \`in\`` : '`in` is the input of a block with one input, and there is no such block here';
    this.diagnostics.push(error('E-UNDEFINED', `\`in\` is not defined: ${why}`, span, scope.block ? 'start from one of its inputs by name' : 'start from a tensor by its name, e.g. `image -> conv 32 3`'));
  }

  /** A step that is no layer kind and no block: a misspelled tensor, block or kind. */
  private unknownStep(step: LayerStmt, scope: Scope, isHead: boolean): void {
    if (step.kind === 'in') return this.inOutsideBlock(step.kindSpan, scope);
    const later = this.allBlocks.get(step.kind);
    if (later) {
      this.diagnostics.push(error('E-BLOCK-ORDER', `block \`${step.kind}\` is defined below its use`, step.kindSpan, 'define a block before the statements that call it'));
      return;
    }
    const steps = [...layerNames(), ...this.visibleBlocks(scope).map((b) => b.name)];
    // A lone word at a chain's head may be a misspelled tensor: said so when a tensor is the closest match.
    const tensors = [...scope.names.keys()];
    const closest = isHead && step.positional.length === 0 && step.options.length === 0 ? suggest(step.kind, [...tensors, ...steps]) : undefined;
    if (closest !== undefined && tensors.includes(closest)) {
      this.diagnostics.push(error('E-UNDEFINED', `\`${step.kind}\` is not defined`, step.kindSpan, `did you mean \`${closest}\`?`));
      return;
    }
    this.diagnostics.push(error('E-UNKNOWN-KIND', `unknown layer kind \`${step.kind}\``, step.kindSpan, didYouMean(step.kind, steps, 'a layer kind such as')));
  }

  // ---- blocks -----------------------------------------------------------

  private defineBlock(block: BlockStmt): void {
    const d = this.diagnostics;
    if (findLayer(block.name)) {
      d.push(error('E-NAME', `\`${block.name}\` is a layer kind; a block needs a name of its own`, block.nameSpan, `e.g. \`block my_${block.name}\``));
      return;
    }
    const earlier = this.blocks.find((b) => b.name === block.name);
    if (earlier) {
      const e = error('E-DUPLICATE-NAME', `block \`${block.name}\` is defined twice`, block.nameSpan, 'give each block its own name');
      e.related = [{ message: 'the first definition is here', span: earlier.nameSpan }];
      d.push(e);
      return;
    }
    for (const n of [...(block.inputs ?? []), ...block.params.map((p) => ({ name: p.name, span: p.nameSpan }))]) {
      if (RESERVED.has(n.name)) d.push(error('E-RESERVED', `\`${n.name}\` is reserved and cannot name an input or parameter of a block`, n.span, reservedHelp(n.name)));
    }
    this.blocks.push(block);
  }

  /** The block a step calls; undefined when it calls none; null when the call is refused (reported). */
  private visibleBlock(step: LayerStmt, scope: Scope): BlockStmt | undefined | null {
    const block = this.blocks.find((b) => b.name === step.kind);
    if (!block) return undefined;
    if (!scope.block) return block;
    if (block === scope.block) {
      this.diagnostics.push(error('E-RECURSION', `block \`${block.name}\` calls itself; recursion is not allowed`, step.kindSpan, 'a block may call blocks defined above it; to apply one several times, use `repeat=N`'));
      return null;
    }
    if (this.blocks.indexOf(block) > this.blocks.indexOf(scope.block)) {
      this.diagnostics.push(error('E-BLOCK-ORDER', `block \`${scope.block.name}\` calls \`${block.name}\`, which is defined below it`, step.kindSpan, 'a block may only call blocks defined above it'));
      return null;
    }
    return block;
  }

  private visibleBlocks(scope: Scope): BlockStmt[] {
    return scope.block ? this.blocks.slice(0, this.blocks.indexOf(scope.block)) : this.blocks;
  }

  private call(block: BlockStmt, step: LayerStmt, left: Left, scope: Scope): Tensor {
    const d = this.diagnostics;
    this.calledBlocks.add(block);
    const resolved = resolveStatement(step, scope.values, d);
    const { count, stmt } = takeRepeat(resolved, d);
    let positional = stmt.positional;
    let options = stmt.options;
    const nameOpt = options.find((o) => o.key === 'name');
    let userName: string | undefined;
    if (nameOpt) {
      options = options.filter((o) => o !== nameOpt);
      if (nameOpt.value.type === 'ident') userName = nameOpt.value.name;
      else d.push(error('E-ARG-TYPE', `a call's name must be a name like \`stage_1\`; got ${describeValue(nameOpt.value)}`, nameOpt.value.span));
    }

    let listed: Tensor[] | undefined;
    if (block.inputs) {
      const list = positional[0];
      const want = block.inputs.length;
      if (list?.type !== 'list') {
        d.push(error('E-MERGE-INPUTS', `block \`${block.name}\` takes its ${want} tensor input${want === 1 ? '' : 's'} in a list first`, list?.span ?? step.span,
          `e.g. \`${block.name} [${block.inputs.map((i) => i.name).join(', ')}] ...\``));
        return UNKNOWN;
      }
      if (list.items.length !== want) {
        d.push(error('E-MERGE-INPUTS', `block \`${block.name}\` takes ${want} tensor input${want === 1 ? '' : 's'} (${block.inputs.map((i) => i.name).join(', ')}); got ${list.items.length}`, list.span,
          `list one tensor for each: \`[${block.inputs.map((i) => i.name).join(', ')}]\``));
        return UNKNOWN;
      }
      if (count !== 1) d.push(error('E-REPEAT', `\`repeat\` applies to blocks with one tensor input; \`${block.name}\` has ${want}`, step.span, 'write the calls out one by one'));
      listed = list.items.map((item) => this.listedTensor(item, left, scope, step));
      positional = positional.slice(1);
    }

    const params = this.bindParams(block, positional, options, step);
    if (!params) return UNKNOWN;
    let out: Tensor = listed ? UNKNOWN : left === 'implicit' ? this.flowingIn(scope, step, 'layer') : left;
    for (let copy = 1; copy <= count; copy++) {
      const call: CallScope = { block: block.name, parent: scope.call, span: step.span, name: '', prefix: '' };
      if (userName !== undefined) call.userName = count > 1 ? `${userName}_${copy}` : userName;
      this.calls.push(call);
      const inner: Scope = { names: new Map(), values: { params, block: block.name }, call, block };
      if (listed) block.inputs!.forEach((input, i) => inner.names.set(input.name, { tensor: listed[i], span: input.span }));
      else {
        inner.names.set('in', { tensor: out, span: block.nameSpan });
        inner.previous = out;
      }
      const mark = d.length;
      for (const s of block.body) inner.previous = this.statement(s, inner);
      noteCall(d.slice(mark), block, step.span);
      out = inner.previous ?? UNKNOWN;
    }
    return out;
  }

  /** The call's values for the block's parameters (defaults filled in), or undefined when one is missing or unknown (reported). */
  private bindParams(block: BlockStmt, positional: readonly Value[], options: readonly OptionNode[], step: LayerStmt): Map<string, Value> | undefined {
    const d = this.diagnostics;
    const values = new Map<string, Value>();
    const given = new Map<string, Span>();
    let ok = true;
    positional.forEach((v, i) => {
      const param = block.params[i];
      if (param) {
        values.set(param.name, v);
        given.set(param.name, v.span);
      } else if (i === block.params.length) {
        const takes = block.params.length === 0 ? 'takes no values' : `takes ${block.params.length} value${block.params.length === 1 ? '' : 's'} (${block.params.map((p) => p.name).join(', ')})`;
        d.push(error('E-EXTRA-POSITIONAL', `block \`${block.name}\` ${takes}; got ${positional.length}`, v.span, 'give the values in the order of the block\'s parameters, or as `key=value`'));
        ok = false;
      }
    });
    for (const o of options) {
      const param = block.params.find((p) => p.name === o.key);
      if (!param) {
        d.push(error('E-UNKNOWN-OPTION', `block \`${block.name}\` has no parameter \`${o.key}\``, o.keySpan, didYouMean(o.key, [...block.params.map((p) => p.name), 'name', REPEAT], 'one of')));
        ok = false;
      } else if (given.has(o.key)) {
        const e = error('E-DUPLICATE-OPTION', `block \`${block.name}\` \`${o.key}\` is given twice`, o.span, 'remove one of them');
        e.related = [{ message: `\`${o.key}\` was first given here`, span: given.get(o.key)! }];
        d.push(e);
        ok = false;
      } else {
        values.set(o.key, o.value);
        given.set(o.key, o.span);
      }
    }
    for (const p of block.params) {
      if (values.has(p.name)) continue;
      if (p.default) {
        // A default may use the parameters before it: `block b(filters, expanded=4*filters)`.
        const v = resolveValue(p.default, { params: values, block: block.name }, d);
        if (v) values.set(p.name, v);
        else ok = false;
        continue;
      }
      const e = error('E-MISSING-ARG', `block \`${block.name}\` needs \`${p.name}\``, step.span, `give it after the block's name, e.g. \`${block.name} ${exampleValue(p.name)}\`, or as \`${p.name}=...\``);
      e.related = [{ message: `\`${p.name}\` is declared here`, span: p.span }];
      d.push(e);
      ok = false;
    }
    return ok ? values : undefined;
  }

  // ---- names ------------------------------------------------------------

  private bind(target: NameNode, tensor: Tensor, scope: Scope): void {
    const d = this.diagnostics;
    const name = target.name;
    if (RESERVED.has(name)) return void d.push(error('E-RESERVED', `\`${name}\` is reserved and cannot be bound`, target.span, reservedHelp(name)));
    if (findLayer(name)) return void d.push(error('E-NAME', `\`${name}\` is a layer kind and cannot name a tensor`, target.span, `pick another name, e.g. \`${name}_out\``));
    if (this.allBlocks.has(name)) return void d.push(error('E-NAME', `\`${name}\` is a block and cannot name a tensor`, target.span, `pick another name, e.g. \`${name}_out\``));
    if (scope.values.params.has(name)) return void d.push(error('E-DUPLICATE-NAME', `\`${name}\` is a parameter of block \`${scope.block?.name}\``, target.span, 'give the tensor another name'));
    const earlier = scope.names.get(name);
    if (earlier) {
      const e = error('E-DUPLICATE-NAME', `\`${name}\` is already defined`, target.span, 'names are unique in their scope; pick another one');
      e.related = [{ message: `\`${name}\` is first defined here`, span: earlier.span }];
      return void d.push(e);
    }
    scope.names.set(name, { tensor, span: target.span });
    if (tensor.id === undefined) return;
    const key = `${target.span.line}:${target.span.column}`;
    let entry = this.bindings.get(key);
    if (!entry) this.bindings.set(key, (entry = { name, span: target.span, ids: new Set() }));
    entry.ids.add(tensor.id);
  }

  private outputRefs(names: readonly NameNode[], top: Scope): OutputRef[] {
    const refs: OutputRef[] = [];
    for (const n of names) {
      const found = this.lookup(n.name, top);
      if (!found) this.undefinedName(n.name, n.span, top);
      else if (found.tensor.id !== undefined) refs.push({ id: found.tensor.id, name: n.name });
    }
    return refs;
  }

  /** Without `output`, the last statement's output; when that failed, the last node (its shape is unknown anyway). */
  private implicitOutput(last: Tensor | undefined): OutputRef[] {
    const id = last?.id ?? this.nodes[this.nodes.length - 1]?.id ?? this.inputs[0]?.id;
    return id === undefined ? [] : [{ id }];
  }

  /** A bound tensor or named input that nothing reads and that is not an output; a block never called. */
  private warnUnused(ir: IR): void {
    const read = new Set<string>(ir.outputs);
    for (const n of ir.nodes) for (const id of n.inputs) read.add(id);
    for (const b of this.bindings.values()) {
      if ([...b.ids].some((id) => read.has(id))) continue;
      this.diagnostics.push(warning('W-UNUSED', `\`${b.name}\` is never used`, b.span, `read it (\`${b.name} -> ...\`, \`add [_, ${b.name}]\`), list it in \`output\`, or remove it`));
    }
    for (const b of this.blocks) {
      if (!this.calledBlocks.has(b)) this.diagnostics.push(warning('W-UNUSED', `block \`${b.name}\` is never called`, b.nameSpan, `call it like a layer, e.g. \`${b.name}${b.params[0] ? ' ' + exampleValue(b.params[0].name) : ''}\`, or remove it`));
    }
  }

  // ---- nodes ------------------------------------------------------------

  private node(step: LayerStmt, lowered: LoweredLayer, inputs: Tensor[], scope: Scope, failedHere: boolean): Tensor {
    const id = `n${this.nodes.length + 1}`;
    if (failedHere || inputs.some((t) => t.id === undefined)) this.broken.add(id);
    const node: IRNode = {
      id,
      kind: lowered.def.kind,
      kerasClass: lowered.def.kerasClass,
      name: '',
      args: lowered.args,
      inputs: [],
      span: step.span,
      argSpans: lowered.argSpans,
    };
    for (const t of inputs) if (t.id !== undefined) node.inputs.push(t.id);
    // Duplicate names are reported by the DAG check, for specs and IR files alike.
    if (lowered.name) node.name = lowered.name.value;
    else this.autoNamed.add(id);
    if (lowered.wrapped) this.autoNamed.add(`${id}/layer`);
    if (scope.call) this.callOf.set(id, scope.call);
    this.nodes.push(node);
    return { id };
  }
}

function errorsSince(diagnostics: readonly Diagnostic[], mark: number): boolean {
  for (let i = mark; i < diagnostics.length; i++) if (diagnostics[i].severity === 'error') return true;
  return false;
}

/** `repeat=N` taken off a step: N (1 when absent or wrong, which is reported) and the step without it. */
function takeRepeat(stmt: LayerStmt, diagnostics: Diagnostic[]): { count: number; stmt: LayerStmt } {
  if (!stmt.options.some((o) => o.key === REPEAT)) return { count: 1, stmt };
  const options = stmt.options.filter((o) => o.key === REPEAT);
  const [first, ...extra] = options;
  for (const o of extra) diagnostics.push(error('E-DUPLICATE-OPTION', '`repeat` is given twice', o.span, 'remove one of them'));
  const v = first.value;
  let count = 1;
  if (v.type === 'int' && v.value >= 1) count = v.value;
  else diagnostics.push(error('E-ARG-TYPE', `\`repeat\` expects a whole number of at least 1; got ${describeValue(v)}`, v.span, 'e.g. `residual 64 repeat=3`'));
  return { count, stmt: { ...stmt, options: stmt.options.filter((o) => o.key !== REPEAT) } };
}

function withOption(stmt: LayerStmt, option: OptionNode, name: string): LayerStmt {
  const value: Value = { type: 'ident', name, raw: name, span: option.value.span };
  return { ...stmt, options: stmt.options.map((o) => (o === option ? { ...o, value } : o)) };
}

/** Diagnostics found while expanding a call also point at the call. */
function noteCall(found: readonly Diagnostic[], block: BlockStmt, span: Span): void {
  for (const d of found) d.related = [...(d.related ?? []), { message: `in block \`${block.name}\`, called here`, span }];
}

/** The same mistake inside a block is found once per call: it is said once, with the first call's notes. */
function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    if (!d.related?.some((r) => r.message.startsWith('in block '))) return true;
    const key = `${d.code}|${d.message}|${d.span?.line}:${d.span?.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function callPath(call: CallScope): NonNullable<IRNode['callPath']> {
  const path: NonNullable<IRNode['callPath']> = [];
  for (let c: CallScope | undefined = call; c; c = c.parent) path.unshift({ block: c.block, name: c.name, span: c.span });
  return path;
}

function reservedHelp(name: string): string {
  return name === '_' ? '`_` is the tensor flowing in' : "`in` is a one-input block's input";
}

/** A plausible value for a parameter in an example. */
function exampleValue(param: string): string {
  return /rate|drop/.test(param) ? '0.5' : '64';
}

function repeated(what: string, span: Span, first: Span, help = `keep one \`${what}\` line`): Diagnostic {
  const d = error('E-DUPLICATE-STATEMENT', `\`${what}\` appears more than once`, span, help);
  d.related = [{ message: `the first \`${what}\` is here`, span: first }];
  return d;
}

/** Said once, at the first layer (or the top of the file): without a shape there is nothing to check shapes against. */
function noInput(file: ModelFile): Diagnostic {
  const firstLayer = file.statements.find((s) => s.type === 'chain');
  return error(
    'E-NO-INPUT',
    'the model has no `input` statement, so its shapes cannot be checked',
    firstLayer?.span,
    'add `input SHAPE` before the first layer, e.g. `input 28x28x1` for 28×28 grey images or `input 784` for 784 features',
  );
}

function lowerInput(stmt: InputStmt, id: string, name: string, diagnostics: Diagnostic[]): IRInput {
  const input: IRInput = { id, name, shape: [], dtype: 'float32', span: stmt.span };
  const v = stmt.shape;
  const inexact = inexactInteger(v);
  if (inexact) diagnostics.push(inexactIntegerError(inexact));
  else if (v.type === 'int') input.shape = [v.value];
  else if (v.type === 'dims') input.shape = [...v.dims] as Shape;
  else diagnostics.push(error('E-ARG-TYPE', `\`input\` expects a shape such as \`784\`, \`28x28x1\` or \`?x16\`; got ${describeValue(v)}`, v.span));
  // Unknown dtypes are kept as written: the schema names the choices.
  if (stmt.dtype) input.dtype = stmt.dtype.name as IRInput['dtype'];
  for (const opt of stmt.options) lowerInputOption(opt, input, stmt.dtype !== undefined, diagnostics);
  return input;
}

function lowerInputOption(opt: OptionNode, input: IRInput, dtypeWritten: boolean, diagnostics: Diagnostic[]): void {
  if (!INPUT_OPTIONS.includes(opt.key)) {
    diagnostics.push(error('E-UNKNOWN-OPTION', `\`input\` has no option \`${opt.key}\``, opt.keySpan, didYouMean(opt.key, INPUT_OPTIONS)));
  } else if (opt.value.type !== 'ident') {
    diagnostics.push(error('E-ARG-TYPE', `\`input\` \`${opt.key}\` expects a name; got ${describeValue(opt.value)}`, opt.value.span));
  } else if (opt.key === 'name') input.name = opt.value.name;
  else if (dtypeWritten) diagnostics.push(error('E-DUPLICATE-OPTION', '`input` dtype is given twice', opt.span, 'remove one of them'));
  else input.dtype = opt.value.name as IRInput['dtype'];
}
