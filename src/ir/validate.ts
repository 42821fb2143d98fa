/**
 * Validating an IR (produced by lowering or read from a JSON file) against the
 * IR schema, with every ajv error turned into a Diagnostic that points at the
 * text: `/nodes/3/args/rate` becomes "dropout rate must be < 1; got 1.5" at the
 * `1.5` that was written. Then the DAG's integrity (ids, references).
 */
import { createRequire } from 'node:module';
import { error, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import { findLayer, layerNames } from '../layers/index.js';
import { factorBounds } from '../layers/augmentation.js';
import type { ParamSpec } from '../layers/types.js';
import { AJV_OPTIONS, irSchema } from './schema.js';
import { schemaHash } from './schema-hash.js';
import { SCHEMA_HASH, validate as compiledValidate } from './ir-validator.generated.js';
import { canonicalName, FIT_OPTIONS, LOSSES, METRICS, OPTIMIZERS } from './training.js';
import { didYouMean, listChoices, suggest } from '../runtime/data/suggest.js';
import type { IR } from './types.js';

interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}
type ValidateFn = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

/** Maps a JSON pointer into the IR to a span; by default the spans the IR itself carries. */
export type Locate = (pointer: string) => Span | undefined;

let validator: ValidateFn | undefined;

/** The build-time compiled validator when it matches the current schema, else one compiled now (once). */
function getValidator(): ValidateFn {
  if (validator) return validator;
  const schema = irSchema();
  if (schemaHash(schema) === SCHEMA_HASH) validator = compiledValidate as ValidateFn;
  else {
    // Stale generated module (a layer's params changed): still correct, just slower to start.
    const Ajv = createRequire(import.meta.url)('ajv').default;
    validator = new Ajv(AJV_OPTIONS).compile(schema) as ValidateFn;
  }
  return validator;
}

/** Whether the build-time compiled validator is current (a test keeps it so). */
export function compiledValidatorIsCurrent(): boolean {
  return schemaHash(irSchema()) === SCHEMA_HASH;
}

/** A schema or DAG problem, with the index of the node it is about (undefined for the rest of the IR). */
export interface IRProblem {
  diagnostic: Diagnostic;
  node?: number;
}

export function validateIR(ir: unknown, locate?: Locate): Diagnostic[] {
  return findIRProblems(ir, locate).map((p) => p.diagnostic);
}

/** validateIR, telling which node each problem belongs to, so that the caller can leave that node's shape unknown. */
export function findIRProblems(ir: unknown, locate?: Locate): IRProblem[] {
  const validate = getValidator();
  const where = locate ?? ((p: string) => spanFromIR(ir, p));
  if (!validate(ir)) {
    return uniqueByPath(relevant(validate.errors ?? [])).map((e) => {
      const m = /^\/nodes\/(\d+)(\/|$)/.exec(e.instancePath);
      return { diagnostic: toDiagnostic(e, ir, where), node: m ? Number(m[1]) : undefined };
    });
  }
  return dagProblems(ir as IR, where);
}

/** Errors that only say "some branch failed" (if/then, anyOf's null branch, oneOf under a discriminator) add nothing. */
function relevant(errors: AjvError[]): AjvError[] {
  const out = errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && !/\/anyOf\/0\/type$/.test(e.schemaPath));
  return out.length > 0 ? out : errors;
}

function uniqueByPath(errors: AjvError[]): AjvError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function segments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function at(data: unknown, path: readonly string[]): unknown {
  let cur = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function isSpan(v: unknown): v is Span {
  const s = v as Span;
  return typeof v === 'object' && v !== null && [s.line, s.column, s.endLine, s.endColumn].every((n) => Number.isInteger(n));
}

/**
 * The span of the closest written thing: an argument's own span (`argSpans`,
 * trying shorter paths for items: `kernel_size/0` -> `kernel_size`), else the
 * span of the node, input or section that contains it.
 */
function spanFromIR(ir: unknown, pointer: string): Span | undefined {
  const path = segments(pointer);
  let owner: unknown;
  let rest: string[] = [];
  if (path[0] === 'nodes' && path.length >= 2) {
    owner = at(ir, path.slice(0, 2));
    rest = path[2] === 'args' ? path.slice(3) : [];
  } else if ((path[0] === 'compile' || path[0] === 'fit') && path.length >= 1) {
    owner = at(ir, path.slice(0, 1));
    rest = path.slice(1);
  } else if (path[0] === 'inputs' && path.length >= 2) owner = at(ir, path.slice(0, 2));
  const argSpans = at(owner, ['argSpans']);
  for (let n = rest.length; n > 0; n--) {
    const s = at(argSpans, [rest.slice(0, n).join('/')]);
    if (isSpan(s)) return s;
  }
  const own = at(owner, ['span']);
  return isSpan(own) ? own : undefined;
}

/** How the thing at a path reads in a message: "dropout rate", "optimizer adam learning_rate", "fit epochs". */
function subject(ir: unknown, path: readonly string[]): string {
  const kindAt = (p: readonly string[]) => {
    const k = at(ir, [...p, 'kind']);
    return typeof k === 'string' ? k : 'layer';
  };
  const field = (p: readonly string[]) => p.filter((s) => s !== 'args').map((s) => (/^\d+$/.test(s) ? `[${s}]` : s)).join(' ').replace(/ \[/g, '[');
  if (path[0] === 'nodes' && path.length >= 2) {
    const node = path.slice(0, 2);
    if (path[2] === 'args' && path[3] === 'layer' && path[4] === 'args') return `${kindAt(node)} ${kindAt([...node, 'args', 'layer'])} ${field(path.slice(5))}`.trim();
    if (path[2] === 'args') return `${kindAt(node)} ${field(path.slice(3))}`.trim();
    return `layer ${Number(path[1]) + 1} (${kindAt(node)})${path.length > 2 ? ' ' + field(path.slice(2)) : ''}`;
  }
  if (path[0] === 'compile' && path[1] === 'optimizer' && path[2] === 'args') return `optimizer ${String(at(ir, ['compile', 'optimizer', 'name']))} ${field(path.slice(3))}`.trim();
  if (path[0] === 'inputs') return `input${path.length > 2 ? ' ' + field(path.slice(2)) : ''}`;
  if (path.length === 0) return 'the IR';
  return field(path);
}

function show(v: unknown): string {
  if (typeof v === 'string') return `\`${v}\``;
  if (v === undefined) return 'nothing';
  return JSON.stringify(v);
}

const TYPE_NOUNS: Record<string, string> = { integer: 'an integer', number: 'a number', boolean: '`true` or `false`', string: 'a name', array: 'a list', object: 'an object', null: 'null' };

/** The names accepted where an unknown property was found, for suggestions. */
function knownKeys(ir: unknown, path: readonly string[]): string[] {
  if (path[0] === 'nodes' && path[2] === 'args') {
    const kind = path[3] === 'layer' ? at(ir, [...path.slice(0, 3), 'layer', 'kind']) : at(ir, [...path.slice(0, 2), 'kind']);
    const def = typeof kind === 'string' ? findLayer(kind) : undefined;
    return def ? [...def.positional, ...def.options].map((s) => s.name) : [];
  }
  if (path[0] === 'compile' && path[1] === 'optimizer' && path[2] === 'args') {
    const name = at(ir, ['compile', 'optimizer', 'name']);
    return typeof name === 'string' && Object.hasOwn(OPTIMIZERS, name) ? OPTIMIZERS[name].map((s) => s.name) : [];
  }
  if (path[0] === 'fit') return FIT_OPTIONS.map((s) => s.name);
  return [];
}

/** For an enum: an alias's canonical name (`mean_squared_error` -> `mse`), else the closest choice. */
function enumHelp(path: readonly string[], value: unknown, allowed: string[]): string | undefined {
  if (typeof value !== 'string') return undefined;
  const table = path[0] === 'compile' && path[1] === 'loss' ? LOSSES : path[0] === 'compile' && path[1] === 'metrics' ? METRICS : undefined;
  const canonical = table ? canonicalName(table, value) : undefined;
  if (canonical) return `did you mean \`${canonical}\`?`;
  const close = suggest(value, allowed);
  return close === undefined ? undefined : `did you mean \`${close}\`?`;
}

function toDiagnostic(e: AjvError, ir: unknown, locate: Locate): Diagnostic {
  const path = segments(e.instancePath);
  const value = at(ir, path);
  const what = subject(ir, path);
  const span = locate(e.instancePath);
  const p = e.params;
  switch (e.keyword) {
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return error('E-ARG-RANGE', `${what} must be ${p.comparison} ${p.limit}; got ${show(value)}`, span, rangeHelp(e.keyword, Number(p.limit), argSpecAt(ir, path)));
    case 'enum': {
      const allowed = (p.allowedValues as string[]) ?? [];
      return error('E-ARG-VALUE', `${what} must be one of ${listChoices(allowed)}; got ${show(value)}`, span, enumHelp(path, value, allowed));
    }
    case 'type':
      return error('E-ARG-TYPE', `${what} must be ${String(p.type).split(',').map((t) => TYPE_NOUNS[t] ?? t).join(' or ')}; got ${show(value)}`, span);
    case 'required':
      return error('E-IR-MISSING', `${what} is missing \`${p.missingProperty}\``, span, `add \`${p.missingProperty}\``);
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const known = knownKeys(ir, path);
      return error('E-IR-UNKNOWN', `${what} has no field \`${key}\``, locate(`${e.instancePath}/${key}`) ?? span, known.length > 0 ? didYouMean(key, known) : 'remove it');
    }
    case 'minItems':
    case 'maxItems': {
      const n = Array.isArray(value) ? value.length : 0;
      const limit = Number(p.limit);
      const exact = e.keyword === 'minItems' ? `at least ${limit}` : `at most ${limit}`;
      return error('E-ARG-VALUE', `${what} must have ${exact} item${limit === 1 ? '' : 's'}; got ${n}`, span);
    }
    case 'minLength':
    case 'pattern':
      return error('E-ARG-VALUE', `${what} must not be empty`, span);
    case 'const':
      return error('E-ARG-VALUE', `${what} must be ${show(p.allowedValue)}; got ${show(value)}`, span, path[0] === 'irVersion' ? 'this IR was written by a different version of mlc; regenerate it with `mlc ir`' : undefined);
    case 'discriminator': {
      if (p.error === 'mapping') {
        const kind = String(p.tagValue);
        return error('E-UNKNOWN-KIND', `unknown layer kind \`${kind}\``, span, didYouMean(kind, layerNames(), 'a layer kind such as'));
      }
      return error('E-IR-MISSING', `${what} needs a \`kind\` naming its layer kind, e.g. "dense"`, span);
    }
    default:
      return error('E-IR', `${what} ${e.message ?? 'is invalid'}`, span);
  }
}

/** The ParamSpec of the layer argument at `path` (nodes/N/args/NAME/...), where there is one. */
function argSpecAt(ir: unknown, path: readonly string[]): ParamSpec | undefined {
  if (path[0] !== 'nodes' || path[2] !== 'args' || path.length < 4) return undefined;
  const kind = at(ir, [...path.slice(0, 2), 'kind']);
  const def = typeof kind === 'string' ? findLayer(kind) : undefined;
  return def ? [...def.positional, ...def.options].find((s) => s.name === path[3]) : undefined;
}

function rangeHelp(keyword: string, limit: number, spec?: ParamSpec): string | undefined {
  if (spec?.arg.type === 'factor') return `give one number in ${factorBounds(spec.arg)}, or a pair \`[lower, upper]\` of such numbers`;
  if (keyword === 'exclusiveMaximum' && limit === 1) return 'use a fraction below 1, e.g. 0.5';
  if (keyword === 'minimum' && limit === 1) return 'use 1 or more';
  return undefined;
}

/** What TensorFlow.js accepts in a name (its own rule also allows `/`, which would nest the weights' scopes). */
const VALID_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function nameError(what: string, span: Span | undefined): Diagnostic {
  return error('E-NAME', `${what} cannot be used: names start with a letter or digit and hold only letters, digits, \`_\`, \`-\` and \`.\``, span,
    'rename it, e.g. `hidden` for `_hidden`');
}

/** Ids and layer names unique; each node consumes only inputs or earlier nodes; outputs exist. */
export function checkDag(ir: IR, locate: Locate = (p) => spanFromIR(ir, p)): Diagnostic[] {
  return dagProblems(ir, locate).map((p) => p.diagnostic);
}

/** checkDag's findings, each with the index of the node it is about, if any. */
function dagProblems(ir: IR, locate: Locate): IRProblem[] {
  const out: IRProblem[] = [];
  const push = (diagnostic: Diagnostic, node?: number) => out.push(node === undefined ? { diagnostic } : { diagnostic, node });
  const known = new Set<string>();
  ir.inputs.forEach((input, i) => {
    if (known.has(input.id)) push(error('E-IR-DAG', `the id \`${input.id}\` is used twice`, locate(`/inputs/${i}/id`), 'give every input and node its own id'));
    known.add(input.id);
  });
  ir.nodes.forEach((node, i) => {
    node.inputs.forEach((ref, j) => {
      if (known.has(ref)) return;
      const later = ir.nodes.slice(i).some((n) => n.id === ref);
      const why = later ? 'a node may only consume inputs and nodes listed before it' : 'no input or node has that id';
      push(error('E-IR-DAG', `layer \`${node.name}\` consumes \`${ref}\`, but ${why}`, locate(`/nodes/${i}/inputs/${j}`) ?? locate(`/nodes/${i}`)), i);
    });
    if (node.inputs.length === 0 && ir.inputs.length > 0) {
      push(error('E-IR-DAG', `layer \`${node.name}\` has no inputs`, locate(`/nodes/${i}`), 'list the id of the input or layer it consumes in `inputs`'), i);
    }
    if (known.has(node.id)) push(error('E-IR-DAG', `the id \`${node.id}\` is used twice`, locate(`/nodes/${i}/id`) ?? locate(`/nodes/${i}`), 'give every input and node its own id'), i);
    known.add(node.id);
  });
  // Names become TensorFlow.js variable names (`dense/kernel`), which must start with a letter or digit.
  const badName = (name: string) => name !== '' && !VALID_NAME.test(name);
  ir.inputs.forEach((input, i) => {
    if (badName(input.name)) push(nameError(`the input's name \`${input.name}\``, locate(`/inputs/${i}/name`)));
  });
  const names = new Map<string, number>();
  const inputNames = new Set(ir.inputs.map((input) => input.name));
  ir.nodes.forEach((node, i) => {
    if (badName(node.name)) return void push(nameError(`the layer name \`${node.name}\``, locate(`/nodes/${i}/args/name`) ?? locate(`/nodes/${i}`)), i);
    if (inputNames.has(node.name)) {
      return void push(error('E-DUPLICATE-NAME', `the layer name \`${node.name}\` is the name of the model's input`, locate(`/nodes/${i}/args/name`) ?? locate(`/nodes/${i}`),
        'give the layer another name; names must be unique in a model, the input included'));
    }
    const first = names.get(node.name);
    if (first === undefined) return void names.set(node.name, i);
    const d = error('E-DUPLICATE-NAME', `two layers are named \`${node.name}\``, locate(`/nodes/${i}/args/name`), 'layer names must be unique in a model; rename one of them');
    d.related = [{ message: 'the first one is here', span: locate(`/nodes/${first}/args/name`) }];
    push(d);
  });
  const inputIds = new Set(ir.inputs.map((input) => input.id));
  ir.outputs.forEach((ref, i) => {
    if (!known.has(ref)) push(error('E-IR-DAG', `the output \`${ref}\` is not an input or node id`, locate(`/outputs/${i}`)));
    // With no layers at all, lowering has already said so (or a layer failed to lower); this would only repeat it.
    else if (inputIds.has(ref) && ir.nodes.length > 0) push(error('E-IR-DAG', `the output \`${ref}\` is the model's input; an output must be a layer`, locate(`/outputs/${i}`), 'list the id of the last layer in `outputs`'));
  });
  if (ir.outputs.length === 0 && ir.nodes.length > 0) push(error('E-IR-DAG', 'the IR lists no outputs', locate('/outputs'), 'list the id of the last layer in `outputs`'));
  return out;
}
