/**
 * The JSON Schema (draft-07) of the IR. Each node's `args` is constrained per
 * kind, derived from the LayerDefs' ParamSpecs (types, ranges, enums), so a
 * new layer kind needs no schema edit; compile and fit come from training.ts.
 */
import { LAYER_DEFS, findLayer } from '../layers/index.js';
import type { ArgType, LayerDef, ParamSpec } from '../layers/types.js';
import { COMMON_OPTIONS } from '../layers/params.js';
import { BALANCED_CLASS_WEIGHT, CALLBACKS, FIT_OPTIONS, LOSSES, METRICS, OPTIMIZERS, SCHEDULES, type TrainingCallDef } from './training.js';
import { IR_VERSIONS } from './types.js';

export type Schema = Record<string, unknown>;

/** A name with something in it (a pattern, unlike minLength, needs no ajv run-time helper in the compiled module). */
const NON_EMPTY = { pattern: '\\S' };
const SPAN: Schema = { $ref: '#/definitions/span' };
const ARG_SPANS: Schema = { $ref: '#/definitions/argSpans' };
const SPAN_DEFINITIONS: Schema = {
  span: {
    type: 'object',
    required: ['line', 'column', 'endLine', 'endColumn'],
    properties: Object.fromEntries(['line', 'column', 'endLine', 'endColumn'].map((k) => [k, { type: 'integer', minimum: 0 }])),
  },
  argSpans: { type: 'object', additionalProperties: SPAN },
  callPath: {
    type: 'array',
    items: {
      type: 'object',
      required: ['block', 'name'],
      properties: { block: { type: 'string', ...NON_EMPTY }, name: { type: 'string', ...NON_EMPTY }, span: SPAN },
      additionalProperties: false,
    },
  },
};

/**
 * Shared definitions. Argument schemas repeat across kinds (the activation
 * enum, 2-D tuples): each distinct one becomes one definition that every use
 * references, which keeps the compiled validator small.
 */
class Definitions {
  readonly all: Schema = { ...SPAN_DEFINITIONS };
  private readonly byText = new Map<string, string>();

  /**
   * A definition under its own name. Each becomes its own function in the
   * compiled validator, and JavaScript engines compile functions on first call,
   * so checking a model only pays for the kinds it uses.
   */
  named(name: string, schema: Schema): Schema {
    this.all[name] = schema;
    return { $ref: `#/definitions/${name}` };
  }

  ref(schema: Schema): Schema {
    const text = JSON.stringify(schema);
    let name = this.byText.get(text);
    if (name === undefined) {
      name = `arg${this.byText.size}`;
      this.byText.set(text, name);
      this.all[name] = schema;
    }
    return { $ref: `#/definitions/${name}` };
  }
}

function plainArgSchema(arg: Exclude<ArgType, { type: 'layer' }>): Schema {
  switch (arg.type) {
    case 'int':
      return { type: 'integer', ...defined({ minimum: arg.min, maximum: arg.max }) };
    case 'float':
      return { type: 'number', ...defined({ minimum: arg.min, maximum: arg.max, exclusiveMinimum: arg.exclusiveMin, exclusiveMaximum: arg.exclusiveMax }) };
    case 'bool':
      return { type: 'boolean' };
    case 'string':
      return { type: 'string', ...NON_EMPTY };
    case 'enum':
      return { type: 'string', enum: [...arg.values] };
    case 'tuple':
      return { type: 'array', minItems: arg.length, maxItems: arg.length, items: { type: 'integer', minimum: arg.min ?? 1 } };
    case 'shape':
      return { type: 'array', minItems: 1, items: { type: 'integer', minimum: -1 } };
    case 'regularizer':
      return { type: 'object', required: ['l1', 'l2'], properties: { l1: { type: 'number', minimum: 0 }, l2: { type: 'number', minimum: 0 } }, additionalProperties: false };
    case 'floats': {
      const number = { type: 'number', ...defined({ minimum: arg.min }) };
      return { anyOf: [number, { type: 'array', minItems: 1, items: number }] };
    }
    case 'factor': {
      // if/then/else rather than anyOf, so that a bad value gets only its own branch's message.
      const number = { type: 'number', ...defined({ minimum: arg.min, maximum: arg.max, exclusiveMinimum: arg.exclusiveMin }) };
      return { if: { type: 'array' }, then: { type: 'array', minItems: 2, maxItems: 2, items: number }, else: number };
    }
  }
}

function defined(o: Record<string, number | undefined>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, number>;
}

function argSchema(spec: ParamSpec, defs: Definitions): Schema {
  const s = spec.arg.type === 'layer' ? wrappedLayerSchema(spec.arg.kinds, defs) : defs.ref(plainArgSchema(spec.arg));
  // A null default is Keras's None (pooling strides: the pool size).
  return spec.default === null ? { anyOf: [{ type: 'null' }, s] } : s;
}

/** An object of Keras arguments: each spec's type; every spec not `optional` is present (lowering fills defaults in). */
function argsSchema(specs: readonly ParamSpec[], defs: Definitions): Schema {
  return {
    type: 'object',
    properties: Object.fromEntries(specs.map((spec) => [spec.name, argSchema(spec, defs)])),
    required: specs.filter((s) => !s.optional).map((s) => s.name),
    additionalProperties: false,
  };
}

function specsOf(def: LayerDef): ParamSpec[] {
  return [...def.positional, ...def.options, ...COMMON_OPTIONS];
}

function wrappedLayerSchema(kinds: readonly string[], defs: Definitions): Schema {
  const wrapped = kinds.map((k) => findLayer(k)).filter((d): d is LayerDef => d !== undefined);
  return {
    type: 'object',
    required: ['kind', 'kerasClass', 'name', 'args'],
    discriminator: { propertyName: 'kind' },
    oneOf: wrapped.map((def) => ({
      properties: {
        kind: { const: def.kind },
        kerasClass: { type: 'string', ...NON_EMPTY },
        // Empty until naming has run; the pipeline always names it.
        name: { type: 'string' },
        args: argsSchema(specsOf(def), defs),
      },
      additionalProperties: false,
    })),
  };
}

function nodeSchema(def: LayerDef, defs: Definitions): Schema {
  return {
    type: 'object',
    properties: {
      id: { type: 'string', ...NON_EMPTY },
      kind: { const: def.kind },
      kerasClass: { type: 'string', ...NON_EMPTY },
      name: { type: 'string', ...NON_EMPTY },
      args: argsSchema(specsOf(def), defs),
      inputs: { type: 'array', items: { type: 'string' } },
      span: SPAN,
      argSpans: ARG_SPANS,
      callPath: { $ref: '#/definitions/callPath' },
    },
    required: ['id', 'kerasClass', 'name', 'args', 'inputs'],
    additionalProperties: false,
  };
}

function optimizerSchema(defs: Definitions): Schema {
  const schedule = defs.named('schedule', trainingCallSchema(SCHEDULES, defs));
  return {
    type: 'object',
    required: ['name', 'args'],
    properties: { name: { type: 'string', enum: Object.keys(OPTIMIZERS) }, args: { type: 'object' } },
    additionalProperties: false,
    allOf: Object.entries(OPTIMIZERS).map(([name, specs]) => {
      const args = argsSchema(specs, defs);
      // The learning rate is a number or a schedule.
      const props = args.properties as Record<string, Schema>;
      props.learning_rate = { if: { type: 'object' }, then: schedule, else: props.learning_rate };
      return { if: { properties: { name: { const: name } } }, then: { properties: { args } } };
    }),
  };
}

/** {name, args} of one of the calls in `table`, each with its own arguments. */
function trainingCallSchema(table: Record<string, TrainingCallDef>, defs: Definitions): Schema {
  return {
    type: 'object',
    required: ['name', 'args'],
    discriminator: { propertyName: 'name' },
    oneOf: Object.entries(table).map(([name, def]) => {
      const args = argsSchema(def.params, defs);
      for (const list of def.lists ?? []) {
        (args.properties as Schema)[list.name] = { type: 'array', minItems: 1, items: { type: 'number' } };
        (args.required as string[]).push(list.name);
      }
      return { properties: { name: { const: name }, args }, additionalProperties: false };
    }),
  };
}

function fitSchema(defs: Definitions): Schema {
  const fitArgs = argsSchema(FIT_OPTIONS, defs);
  return {
    ...fitArgs,
    properties: {
      ...(fitArgs.properties as Schema),
      callbacks: { type: 'array', items: defs.named('callback', trainingCallSchema(CALLBACKS, defs)) },
      class_weight: {
        anyOf: [
          { const: BALANCED_CLASS_WEIGHT },
          { type: 'object', propertyNames: { pattern: '^(0|[1-9][0-9]*)$' }, additionalProperties: { type: 'number', minimum: 0 } },
        ],
      },
      span: SPAN,
      argSpans: ARG_SPANS,
    },
  };
}

/** `value`, or an object of them keyed by output name. */
function perOutput(value: Schema): Schema {
  // if/then/else rather than anyOf, so that a wrong single value is reported against `value` alone.
  return { if: { type: 'object' }, then: { type: 'object', additionalProperties: value }, else: value };
}

/** The whole IR schema. Pure; validate.ts compiles it once (or uses the build-time compiled copy). */
export function irSchema(): Schema {
  const defs = new Definitions();
  const properties: Schema = {
    // Version 1 files (written before graphs and blocks) are a subset of version 2 and still load.
    irVersion: { enum: IR_VERSIONS },
    name: { type: 'string', ...NON_EMPTY },
    inputs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'shape', 'dtype'],
        properties: {
          id: { type: 'string', ...NON_EMPTY },
          name: { type: 'string', ...NON_EMPTY },
          shape: { type: 'array', minItems: 1, items: { type: ['integer', 'null'], minimum: 1 } },
          dtype: { type: 'string', enum: ['float32', 'int32'] },
          span: SPAN,
        },
        additionalProperties: false,
      },
    },
    nodes: {
      type: 'array',
      items: { type: 'object', required: ['kind'], discriminator: { propertyName: 'kind' }, oneOf: LAYER_DEFS.map((d) => defs.named(`node_${d.kind}`, nodeSchema(d, defs))) },
    },
    outputs: { type: 'array', items: { type: 'string' } },
    outputNames: { type: 'array', items: { type: 'string', ...NON_EMPTY } },
    compile: {
      type: 'object',
      required: ['loss', 'optimizer', 'metrics'],
      properties: {
        // One value for every output, or a map keyed by output name (see src/ir/outputs.ts).
        loss: perOutput({ type: 'string', enum: Object.keys(LOSSES) }),
        lossArgs: { type: 'object' },
        loss_weights: { type: 'object', additionalProperties: { type: 'number', minimum: 0 } },
        optimizer: optimizerSchema(defs),
        metrics: perOutput({ type: 'array', items: { type: 'string', enum: Object.keys(METRICS) } }),
        span: SPAN,
        argSpans: ARG_SPANS,
      },
      additionalProperties: false,
    },
    fit: fitSchema(defs),
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://mlc.dev/schema/ir-v2.json',
    title: 'mlc IR',
    type: 'object',
    required: ['irVersion', 'name', 'inputs', 'nodes', 'outputs'],
    properties,
    additionalProperties: false,
    definitions: defs.all,
  };
}

/** The ajv options of both the build-time compiled validator and the run-time fallback. */
export const AJV_OPTIONS = {
  allErrors: true,
  discriminator: true,
  strict: true,
  // `required: ['kind']` beside a discriminator is what ajv asks for, not a strictness problem.
  strictRequired: false,
  // Refs stay functions, so each shared argument schema is compiled once.
  inlineRefs: false,
} as const;
