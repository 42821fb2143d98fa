/**
 * The AST of a .model file. It mirrors the surface syntax (DSL.md) and keeps
 * a source span on every node so that any later stage can point at the text.
 * Nothing here knows about layer kinds: `dense 10 softmax` is a LayerStmt with
 * kind "dense" and two positional values; src/ir gives it meaning.
 */
import type { Span } from '../diagnostics/diagnostic.js';

export type Value = IntValue | FloatValue | BoolValue | IdentValue | DimsValue | ListValue | CallValue;

interface ValueBase {
  span: Span;
  /** The exact source text of the value (used by fmt to keep `1e-4` as written). */
  raw: string;
}
export interface IntValue extends ValueBase { type: 'int'; value: number }
export interface FloatValue extends ValueBase { type: 'float'; value: number }
export interface BoolValue extends ValueBase { type: 'bool'; value: boolean }
export interface IdentValue extends ValueBase { type: 'ident'; name: string }
/** `5x5`, `28x28x1`, `?x16`, `?`. `null` is an unknown (`?`) dimension. A lone integer is an IntValue, not a DimsValue. */
export interface DimsValue extends ValueBase { type: 'dims'; dims: (number | null)[] }
export interface ListValue extends ValueBase { type: 'list'; items: Value[] }
/** `adam(lr=1e-4)`; positional call arguments are allowed by the grammar (`adam(0.001)`). */
export interface CallValue extends ValueBase { type: 'call'; callee: string; calleeSpan: Span; args: Value[]; options: OptionNode[] }

export interface OptionNode {
  key: string;
  keySpan: Span;
  value: Value;
  span: Span;
}

/** One layer: `KIND positional... option...`. */
export interface LayerStmt {
  type: 'layer';
  kind: string;
  kindSpan: Span;
  positional: Value[];
  options: OptionNode[];
  span: Span;
}

/** One line of layers joined by `->` (a single layer is a chain of one). */
export interface LayerChain {
  type: 'chain';
  layers: LayerStmt[];
  span: Span;
}

export interface ModelStmt {
  type: 'model';
  name: string;
  nameSpan: Span;
  span: Span;
}

export interface InputStmt {
  type: 'input';
  /** IntValue (`784`) or DimsValue (`28x28x1`, `?x16`). */
  shape: Value;
  dtype?: IdentValue;
  options: OptionNode[];
  span: Span;
}

export interface SectionStmt {
  type: 'compile' | 'fit';
  options: OptionNode[];
  span: Span;
}

export type Statement = ModelStmt | InputStmt | LayerChain | SectionStmt;

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
