/**
 * The AST of a .model file. It mirrors the surface syntax (DSL.md, v1 and
 * "Graphs and blocks (v2)") and keeps a source span on every node so that any
 * later stage can point at the text.
 *
 * Nothing here knows about layer kinds, blocks or tensor names. A chain step
 * `KIND args...` is always a LayerStmt, and the lowering (src/ir) decides what
 * its head identifier is: a layer kind (`dense 10`), a block call
 * (`residual 64`), a merge or block call whose first positional value is the
 * list of its tensor inputs (`add [_, x]`, `fuse [x, y] 32`), or, at the head
 * of a chain and without arguments, a tensor name (`image -> conv 32 3`) or
 * `_`, the tensor arriving from the left or from the previous statement.
 */
import type { Span } from '../diagnostics/diagnostic.js';

export type Value = IntValue | FloatValue | BoolValue | IdentValue | DimsValue | ListValue | CallValue | MapValue | ExprValue;

interface ValueBase {
  span: Span;
  /**
   * The exact source text of the value (fmt keeps `1e-4` as written). A value
   * in parentheses, `(5)`, is the value itself: the parentheses widen its
   * span, not its raw text.
   */
  raw: string;
}
export interface IntValue extends ValueBase { type: 'int'; value: number }
export interface FloatValue extends ValueBase { type: 'float'; value: number }
export interface BoolValue extends ValueBase { type: 'bool'; value: boolean }
export interface IdentValue extends ValueBase { type: 'ident'; name: string }
/** `5x5`, `28x28x1`, `?x16`, `?`. `null` is an unknown (`?`) dimension. A lone integer is an IntValue, not a DimsValue. */
export interface DimsValue extends ValueBase { type: 'dims'; dims: (number | null)[] }
export interface ListValue extends ValueBase { type: 'list'; items: Value[] }
/** `adam(lr=1e-4)`, `categorical_crossentropy(from_logits=true)`; positional call arguments are allowed by the grammar (`adam(0.001)`). */
export interface CallValue extends ValueBase { type: 'call'; callee: string; calleeSpan: Span; args: Value[]; options: OptionNode[] }
/** `{cls: categorical_crossentropy, box: mse}`; keys in source order (a repeated key is the lowering's to refuse). */
export interface MapValue extends ValueBase { type: 'map'; entries: MapEntry[] }
export interface MapEntry {
  key: string;
  keySpan: Span;
  value: Value;
  span: Span;
}
export type ArithmeticOperator = '+' | '-' | '*' | '/';
/**
 * Integer arithmetic on values, `4*filters`, `(a+b)/2`: kept as a tree and
 * evaluated when a block is expanded (its parameters are known only then).
 * `*` and `/` bind tighter than `+` and `-`; each level groups to the left.
 * Parentheses leave no node of their own: they only shape the tree.
 */
export interface ExprValue extends ValueBase { type: 'expr'; operator: ArithmeticOperator; operatorSpan: Span; left: Value; right: Value }

export interface OptionNode {
  key: string;
  keySpan: Span;
  value: Value;
  span: Span;
}

/** A name as written, where it names something: a bound tensor, an input, an output, a block or its parameter. */
export interface NameNode {
  name: string;
  span: Span;
}

/**
 * One step of a chain: `KIND positional... option...`. What KIND is (a layer
 * kind, a block call, a tensor name, `_`) is decided by the lowering; see the
 * top of this file.
 */
export interface LayerStmt {
  type: 'layer';
  kind: string;
  kindSpan: Span;
  positional: Value[];
  options: OptionNode[];
  span: Span;
}

/**
 * Steps joined by `->`, optionally bound to a name: `x = image -> conv 32 3`.
 * A chain may be headed by an input (`input 784 -> dense 10`), then its
 * `layers` are the steps after that input. Without an input head, the first
 * step reads a tensor (a name, `_`, a merge's list) or, when it is a layer or
 * block call, the previous statement's output.
 */
export interface LayerChain {
  type: 'chain';
  /** `x = ...`: the name the chain's output is bound to. */
  target?: NameNode;
  /** `input 784 -> ...`: the input that heads the chain. */
  input?: InputStmt;
  /** At least one step. */
  layers: LayerStmt[];
  span: Span;
}

export interface ModelStmt {
  type: 'model';
  name: string;
  nameSpan: Span;
  span: Span;
}

/** `input SHAPE [DTYPE]` or `input NAME SHAPE [DTYPE]`, then options. */
export interface InputStmt {
  type: 'input';
  /** `input image 28x28x1`: the tensor's name; an input without one cannot be referred to. */
  name?: NameNode;
  /** IntValue (`784`) or DimsValue (`28x28x1`, `?x16`). */
  shape: Value;
  dtype?: IdentValue;
  options: OptionNode[];
  span: Span;
}

/** `output cls box`: the model's outputs, in order. */
export interface OutputStmt {
  type: 'output';
  names: NameNode[];
  span: Span;
}

/** A value parameter of a block: `filters`, or `stride=1` with its default. */
export interface BlockParam {
  name: string;
  nameSpan: Span;
  default?: Value;
  span: Span;
}

/**
 * `block residual(filters, stride=1) { ... }` or `block fuse[a, b](units) { ... }`:
 * a named, parameterised piece of graph, defined at top level, holding chains
 * one a line. Its output is the output of its last statement.
 */
export interface BlockStmt {
  type: 'block';
  name: string;
  nameSpan: Span;
  /** `[a, b]`: the block's tensor inputs; absent for a one-input block, whose input is `in`. */
  inputs?: NameNode[];
  params: BlockParam[];
  body: LayerChain[];
  /** The `{` ending the header and the `}` closing the block (fmt keeps comments on their lines). */
  openSpan: Span;
  closeSpan: Span;
  /** From `block` to the closing `}`. */
  span: Span;
}

export interface SectionStmt {
  type: 'compile' | 'fit';
  options: OptionNode[];
  span: Span;
}

export type Statement = ModelStmt | InputStmt | OutputStmt | BlockStmt | LayerChain | SectionStmt;

export interface Comment {
  /** The text after `#`, without the newline. */
  text: string;
  span: Span;
}

export interface ModelFile {
  statements: Statement[];
  /** Every comment in source order; fmt re-attaches them to statements by line. */
  comments: Comment[];
}
