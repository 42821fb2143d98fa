/**
 * The part of ONNX's protobuf schema (onnx/onnx.proto3, with its field
 * numbers) that an exported model uses, as a protobufjs descriptor, and the
 * encoder and decoder of ModelProto built from it (./messages.ts has the
 * plain-object forms).
 */
import protobuf from 'protobufjs/light.js';
import type { ModelProtoObject } from './messages.js';

const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });

const SCHEMA = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            ir_version: { type: 'int64', id: 1 },
            opset_import: repeated('OperatorSetIdProto', 8),
            producer_name: { type: 'string', id: 2 },
            producer_version: { type: 'string', id: 3 },
            domain: { type: 'string', id: 4 },
            model_version: { type: 'int64', id: 5 },
            doc_string: { type: 'string', id: 6 },
            graph: { type: 'GraphProto', id: 7 },
            metadata_props: repeated('StringStringEntryProto', 14),
          },
        },
        StringStringEntryProto: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        GraphProto: {
          fields: {
            node: repeated('NodeProto', 1),
            name: { type: 'string', id: 2 },
            initializer: repeated('TensorProto', 5),
            doc_string: { type: 'string', id: 10 },
            input: repeated('ValueInfoProto', 11),
            output: repeated('ValueInfoProto', 12),
            value_info: repeated('ValueInfoProto', 13),
          },
        },
        NodeProto: {
          fields: {
            input: repeated('string', 1),
            output: repeated('string', 2),
            name: { type: 'string', id: 3 },
            op_type: { type: 'string', id: 4 },
            attribute: repeated('AttributeProto', 5),
            doc_string: { type: 'string', id: 6 },
            domain: { type: 'string', id: 7 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            g: { type: 'GraphProto', id: 6 },
            floats: repeated('float', 7),
            ints: repeated('int64', 8),
            strings: repeated('bytes', 9),
            doc_string: { type: 'string', id: 13 },
            type: { type: 'int32', id: 20 },
          },
        },
        ValueInfoProto: {
          fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 }, doc_string: { type: 'string', id: 3 } },
        },
        TypeProto: {
          fields: { tensor_type: { type: 'TypeProtoTensor', id: 1 }, denotation: { type: 'string', id: 6 } },
        },
        TypeProtoTensor: {
          fields: { elem_type: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } },
        },
        TensorShapeProto: { fields: { dim: repeated('TensorShapeDimension', 1) } },
        TensorShapeDimension: {
          fields: { dim_value: { type: 'int64', id: 1 }, dim_param: { type: 'string', id: 2 }, denotation: { type: 'string', id: 3 } },
        },
        TensorProto: {
          fields: {
            dims: repeated('int64', 1),
            data_type: { type: 'int32', id: 2 },
            float_data: repeated('float', 4),
            int32_data: repeated('int32', 5),
            int64_data: repeated('int64', 7),
            name: { type: 'string', id: 8 },
            raw_data: { type: 'bytes', id: 9 },
            doc_string: { type: 'string', id: 12 },
          },
        },
      },
    },
  },
};

let modelProto: protobuf.Type | undefined;
const ModelProto = () => (modelProto ??= protobuf.Root.fromJSON(SCHEMA).lookupType('onnx.ModelProto'));

export function encodeModel(model: ModelProtoObject): Uint8Array {
  const type = ModelProto();
  return type.encode(type.fromObject(model)).finish();
}

/** Reads a model back (int64s as numbers, bytes as Uint8Array): for tests and inspection. */
export function decodeModel(bytes: Uint8Array): ModelProtoObject {
  const type = ModelProto();
  return type.toObject(type.decode(bytes), { longs: Number, arrays: true, defaults: false }) as ModelProtoObject;
}
