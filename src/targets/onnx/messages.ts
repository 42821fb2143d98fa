/**
 * ONNX's protobuf messages as plain objects (the field names of
 * onnx/onnx.proto3) and the enum values an exported model uses. No protobuf
 * library here: the layer definitions build graphs from these types, and
 * only ./proto.ts, loaded by the export, encodes them.
 */

/** ONNX's TensorProto.DataType values used here. */
export const DATA_TYPE = { float32: 1, int32: 6, int64: 7 } as const;
export type OnnxDataType = keyof typeof DATA_TYPE;

/** AttributeProto.AttributeType. */
export const ATTRIBUTE_TYPE = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

// Plain-object forms of the messages, with the schema's field names.
export interface TensorProto {
  name: string;
  dims: number[];
  data_type: number;
  raw_data: Uint8Array;
}
export interface AttributeProto {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  g?: GraphProto;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
}
export interface NodeProto {
  name: string;
  op_type: string;
  input: string[];
  output: string[];
  attribute: AttributeProto[];
}
export interface ValueInfoProto {
  name: string;
  type: { tensor_type: { elem_type: number; shape: { dim: ({ dim_value: number } | { dim_param: string })[] } } };
}
export interface GraphProto {
  name: string;
  node: NodeProto[];
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  doc_string?: string;
}
export interface ModelProtoObject {
  ir_version: number;
  opset_import: { domain: string; version: number }[];
  producer_name: string;
  producer_version: string;
  graph: GraphProto;
  doc_string?: string;
}
