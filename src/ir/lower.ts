/**
 * AST -> IR. Resolves kinds and aliases through the layer registry, binds
 * positional values and options to Keras argument names with every default
 * filled in, keeps spans for later diagnostics, chains the layers into a DAG
 * (the first layer consumes the input; the output is the last layer) and gives
 * layers Keras's default names.
 */
import { error, hasErrors, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { InputStmt, LayerStmt, ModelFile, OptionNode } from '../parser/ast.js';
import { IR_VERSION, type IR, type IRCompile, type IRFit, type IRInput, type IRNode, type Shape } from './types.js';
import { lowerLayer } from './lower-layer.js';
import { lowerCompile, lowerFit } from './lower-sections.js';
import { assignDefaultNames, settleRankClasses } from './naming.js';
import { describeValue } from './values.js';
import { didYouMean } from '../runtime/data/suggest.js';

export interface LowerResult {
  ir?: IR;
  diagnostics: Diagnostic[];
  /**
   * Nodes whose output cannot be trusted: their statement had an error, or a
   * layer before them in the chain did not lower. Inference leaves them
   * unknown instead of reporting what follows from the first mistake.
   */
  broken: ReadonlySet<string>;
}

export const INPUT_ID = 'input';
/** Keras 3's name for the implicit input layer. */
const DEFAULT_INPUT_NAME = 'input_layer';
const INPUT_OPTIONS = ['name', 'dtype'];

export function lower(file: ModelFile, defaultName: string): LowerResult {
  const diagnostics: Diagnostic[] = [];
  let name = defaultName;
  let modelSeen: Span | undefined;
  let input: IRInput | undefined;
  let firstLayer: LayerStmt | undefined;
  let compile: IRCompile | undefined;
  let fit: IRFit | undefined;
  const sectionSeen = new Map<string, Span>();
  const nodes: IRNode[] = [];
  const autoNamed = new Set<string>();
  const broken = new Set<string>();
  // A layer that did not lower leaves the next one in its chain without a known input.
  let afterDropped = false;

  for (const stmt of file.statements) {
    switch (stmt.type) {
      case 'model':
        if (modelSeen) diagnostics.push(repeated('model', stmt.span, modelSeen));
        else {
          name = stmt.name;
          modelSeen = stmt.span;
        }
        break;
      case 'input':
        if (input) {
          diagnostics.push(repeated('input', stmt.span, input.span!, 'a model has one input; remove the extra `input` line'));
          break;
        }
        if (firstLayer) {
          const d = error('E-INPUT-ORDER', '`input` must come before the first layer', stmt.span, 'move the `input` line above the layers');
          d.related = [{ message: 'the first layer is here', span: firstLayer.span }];
          diagnostics.push(d);
        }
        input = lowerInput(stmt, diagnostics);
        break;
      case 'chain':
        for (const layer of stmt.layers) {
          firstLayer ??= layer;
          const reported = diagnostics.length;
          const lowered = lowerLayer(layer, diagnostics);
          if (!lowered) {
            afterDropped = true;
            continue;
          }
          const id = `n${nodes.length + 1}`;
          if (afterDropped || hasErrors(diagnostics.slice(reported))) broken.add(id);
          afterDropped = false;
          const node: IRNode = { id, kind: lowered.def.kind, kerasClass: lowered.def.kerasClass, name: '', args: lowered.args, inputs: [], span: layer.span, argSpans: lowered.argSpans };
          // Duplicate names are reported by the DAG check, for specs and IR files alike.
          if (lowered.name) node.name = lowered.name.value;
          else autoNamed.add(id);
          if (lowered.wrapped) autoNamed.add(`${id}/layer`);
          nodes.push(node);
        }
        break;
      case 'compile':
      case 'fit': {
        const earlier = sectionSeen.get(stmt.type);
        if (earlier) {
          diagnostics.push(repeated(stmt.type, stmt.span, earlier));
          break;
        }
        sectionSeen.set(stmt.type, stmt.span);
        if (stmt.type === 'compile') compile = lowerCompile(stmt, diagnostics);
        else fit = lowerFit(stmt, diagnostics);
        break;
      }
    }
  }

  if (!input) diagnostics.push(noInput(file));
  else if (nodes.length === 0 && !firstLayer) {
    diagnostics.push(error('E-NO-LAYERS', 'the model has no layers', input.span, 'add layers after `input`, one per line, e.g. `dense 10 softmax`'));
  }

  // A chain: each node consumes the one before it; the first consumes the input.
  nodes.forEach((node, i) => {
    const previous = i === 0 ? input?.id : nodes[i - 1].id;
    node.inputs = previous === undefined ? [] : [previous];
  });
  const last = nodes.length > 0 ? nodes[nodes.length - 1].id : input?.id;
  const ir: IR = { irVersion: IR_VERSION, name, inputs: input ? [input] : [], nodes, outputs: last ? [last] : [] };
  if (compile) ir.compile = compile;
  if (fit) ir.fit = fit;
  settleRankClasses(ir);
  assignDefaultNames(ir, autoNamed);
  return { ir, diagnostics, broken };
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

function lowerInput(stmt: InputStmt, diagnostics: Diagnostic[]): IRInput {
  const input: IRInput = { id: INPUT_ID, name: DEFAULT_INPUT_NAME, shape: [], dtype: 'float32', span: stmt.span };
  const v = stmt.shape;
  if (v.type === 'int') input.shape = [v.value];
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
