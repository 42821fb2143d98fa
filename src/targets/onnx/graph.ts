/**
 * A small builder for one ONNX graph: nodes with typed attributes, constant
 * tensors (initializers), unique value names, and a cache of channels-first
 * copies so that consecutive convolutions and pools share one layout change
 * instead of transposing back and forth. `finish` drops whatever the outputs
 * do not need (the transposes a cached copy made unnecessary).
 */
import { ATTRIBUTE_TYPE, DATA_TYPE, type AttributeProto, type GraphProto, type NodeProto, type OnnxDataType, type TensorProto, type ValueInfoProto } from './messages.js';

/** An attribute value with its ONNX type; build with int(), float(), ints(), floats(), str(), strs(). */
export type Attr =
  | { type: 'INT'; value: number }
  | { type: 'FLOAT'; value: number }
  | { type: 'INTS'; value: readonly number[] }
  | { type: 'FLOATS'; value: readonly number[] }
  | { type: 'STRING'; value: string }
  | { type: 'STRINGS'; value: readonly string[] }
  | { type: 'GRAPH'; value: GraphProto };

export const int = (value: number): Attr => ({ type: 'INT', value });
export const float = (value: number): Attr => ({ type: 'FLOAT', value });
export const ints = (value: readonly number[]): Attr => ({ type: 'INTS', value });
export const floats = (value: readonly number[]): Attr => ({ type: 'FLOATS', value });
export const str = (value: string): Attr => ({ type: 'STRING', value });
export const strs = (value: readonly string[]): Attr => ({ type: 'STRINGS', value });
export const graph = (value: GraphProto): Attr => ({ type: 'GRAPH', value });

const utf8 = (s: string) => new TextEncoder().encode(s);

function attributeProto(name: string, a: Attr): AttributeProto {
  const type = ATTRIBUTE_TYPE[a.type];
  switch (a.type) {
    case 'INT': return { name, type, i: a.value };
    case 'FLOAT': return { name, type, f: a.value };
    case 'INTS': return { name, type, ints: [...a.value] };
    case 'FLOATS': return { name, type, floats: [...a.value] };
    case 'STRING': return { name, type, s: utf8(a.value) };
    case 'STRINGS': return { name, type, strings: a.value.map(utf8) };
    case 'GRAPH': return { name, type, g: a.value };
  }
}

/** A dimension: a size, or the name of one that is only known at run time. */
export type OnnxDim = number | string;

export interface ValueInfo {
  name: string;
  dtype: OnnxDataType;
  dims: OnnxDim[];
}

/** Permutation of a channels-last tensor of `rank` to channels-first (NHWC -> NCHW), and back. */
export const toChannelsFirstPerm = (rank: number) => [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
export const toChannelsLastPerm = (rank: number) => [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];

export interface OpOptions {
  /** How many outputs the node has (default 1); names are made from the node's name. */
  outputs?: number;
  /** Base for the node's and its outputs' names (default: the op type). */
  name?: string;
}

export class OnnxGraph {
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly used: Set<string>;
  private readonly channelsFirstOf = new Map<string, string>();
  private readonly sharedConstants = new Map<string, string>();
  private readonly renames = new Map<string, string>();
  /** Prefix for the names of what is added next: the Keras layer being lowered. */
  scope = '';

  /** `names`: the names taken so far, shared with a subgraph (value names are unique across a model's graphs). */
  constructor(readonly name: string, names = new Set<string>()) {
    this.used = names;
  }

  /** A graph for a node's attribute (Scan's body), naming its values uniquely among this graph's. */
  subgraph(name: string): OnnxGraph {
    const sub = new OnnxGraph(this.unique(name), this.used);
    sub.scope = this.scope;
    return sub;
  }

  /** A value or node name not used before, readable in Netron: `conv2d/Conv`, `conv2d/Conv_1`, ... */
  unique(hint: string): string {
    const base = this.scope && !hint.startsWith(`${this.scope}/`) && hint !== this.scope ? `${this.scope}/${hint}` : hint;
    let name = base;
    for (let n = 1; this.used.has(name); n++) name = `${base}_${n}`;
    this.used.add(name);
    return name;
  }

  /** Marks a name as taken (graph inputs). */
  reserve(name: string): void {
    this.used.add(name);
  }

  /** Adds one node; returns its output names. */
  add(opType: string, inputs: readonly string[], attrs: Record<string, Attr> = {}, opts: OpOptions = {}): string[] {
    const name = this.unique(opts.name ?? opType);
    const count = opts.outputs ?? 1;
    const output = count === 1 ? [name] : Array.from({ length: count }, (_, i) => this.unique(`${name}:${i}`));
    this.nodes.push({
      name,
      op_type: opType,
      input: [...inputs],
      output,
      attribute: Object.entries(attrs).map(([k, a]) => attributeProto(k, a)),
    });
    return output;
  }

  /** Adds a node with one output and returns that output's name. */
  op(opType: string, inputs: readonly string[], attrs: Record<string, Attr> = {}, name?: string): string {
    return this.add(opType, inputs, attrs, { name })[0];
  }

  /** A float32 constant (a weight, or a folded one). */
  floatConstant(hint: string, dims: readonly number[], data: Float32Array): string {
    const size = dims.reduce((p, d) => p * d, 1);
    if (size !== data.length) throw new Error(`constant ${hint}: ${data.length} values for shape [${dims.join(', ')}]`);
    return this.constant(hint, dims, 'float32', new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice());
  }

  /** An int64 vector (shapes, axes, sizes), shared between the nodes that use the same values. */
  int64s(values: readonly number[]): string {
    const key = values.join(',');
    const cached = this.sharedConstants.get(key);
    if (cached) return cached;
    const data = new BigInt64Array(values.map((v) => BigInt(v)));
    const scope = this.scope;
    this.scope = '';
    const name = this.constant(`const_i64[${key}]`, [values.length], 'int64', new Uint8Array(data.buffer));
    this.scope = scope;
    this.sharedConstants.set(key, name);
    return name;
  }

  /** A float32 scalar (dims []) or vector, shared like int64s(). */
  floatValues(values: readonly number[], scalar = false): string {
    const key = `f32${scalar ? 's' : 'v'}[${values.join(',')}]`;
    const cached = this.sharedConstants.get(key);
    if (cached) return cached;
    const scope = this.scope;
    this.scope = '';
    const data = new Float32Array(values);
    const name = this.constant(`const_${key}`, scalar ? [] : [values.length], 'float32', new Uint8Array(data.buffer));
    this.scope = scope;
    this.sharedConstants.set(key, name);
    return name;
  }

  /** Whether a channels-first copy of `value` already exists (a layer may then work in that layout). */
  hasChannelsFirst(value: string): boolean {
    return this.channelsFirstOf.has(value);
  }

  private constant(hint: string, dims: readonly number[], dtype: OnnxDataType, raw: Uint8Array): string {
    const name = this.unique(hint);
    this.initializers.push({ name, dims: [...dims], data_type: DATA_TYPE[dtype], raw_data: raw });
    return name;
  }

  /** The channels-first copy of a channels-last value of `rank` (made once, then reused). */
  channelsFirst(value: string, rank: number): string {
    const cached = this.channelsFirstOf.get(value);
    if (cached) return cached;
    const out = this.op('Transpose', [value], { perm: ints(toChannelsFirstPerm(rank)) }, 'to_channels_first');
    this.channelsFirstOf.set(value, out);
    return out;
  }

  /** Turns a channels-first result back to channels-last, remembering the pair for the next layer. */
  channelsLast(value: string, rank: number): string {
    const out = this.op('Transpose', [value], { perm: ints(toChannelsLastPerm(rank)) }, 'to_channels_last');
    this.channelsFirstOf.set(out, value);
    return out;
  }

  /** Gives the value produced by a node a better name (a layer's output gets the layer's name). */
  rename(value: string, preferred: string): string {
    const earlier = this.renames.get(value);
    if (earlier !== undefined) return earlier;
    // A graph input keeps its name.
    if (!this.nodes.some((n) => n.output.includes(value))) return value;
    const name = this.unique(preferred);
    this.renames.set(value, name);
    return name;
  }

  /** The graph with only the nodes and initializers the outputs depend on. */
  finish(inputs: readonly ValueInfo[], outputs: readonly ValueInfo[], docString?: string): GraphProto {
    const renamed = (v: string) => this.renames.get(v) ?? v;
    const nodes = this.nodes.map((n) => ({ ...n, input: n.input.map(renamed), output: n.output.map(renamed) }));
    const needed = new Set(outputs.map((o) => o.name));
    const kept: NodeProto[] = [];
    for (let i = nodes.length - 1; i >= 0; i--) {
      const n = nodes[i];
      if (!n.output.some((o) => needed.has(o))) continue;
      kept.push(n);
      for (const input of n.input) if (input !== '') needed.add(input);
    }
    kept.reverse();
    return {
      name: this.name,
      node: kept,
      initializer: this.initializers.filter((t) => needed.has(t.name)),
      input: inputs.map(valueInfoProto),
      output: outputs.map(valueInfoProto),
      ...(docString ? { doc_string: docString } : {}),
    };
  }
}

function valueInfoProto(v: ValueInfo): ValueInfoProto {
  return {
    name: v.name,
    type: {
      tensor_type: {
        elem_type: DATA_TYPE[v.dtype],
        shape: { dim: v.dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}
