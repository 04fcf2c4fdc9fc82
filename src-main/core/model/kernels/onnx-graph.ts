// A one-node ONNX model, written by hand so that no ONNX tooling is needed: ModelProto
// { ir_version 8, opset_import, graph { node, inputs, output } } in protobuf wire format, every
// dimension named (dynamic), so one session serves every shape of a given rank. Field numbers
// are those of onnx/onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto):
// ModelProto ir_version 1, graph 7, opset_import 8; OperatorSetIdProto domain 1, version 2;
// GraphProto node 1, name 2, input 11, output 12; NodeProto input 1, output 2, op_type 4,
// attribute 5, domain 7; AttributeProto name 1, i 3, ints 8, type 20 (INT 2, INTS 7);
// ValueInfoProto name 1, type 2; TypeProto tensor_type 1; Tensor elem_type 1, shape 2;
// TensorShapeProto dim 1; Dimension dim_param 2; TensorProto.DataType FLOAT 1, INT64 7.

export type OnnxInput = { name: string; rank: number; elemType?: 'float' | 'int64' }
export type OnnxNode = {
  op: string
  /** 'com.microsoft' for onnxruntime's contrib operators such as FusedMatMul; '' for the standard ones. */
  domain?: string
  inputs: OnnxInput[]
  outputRank: number
  attributes?: Record<string, number | number[]>
}

const ELEM_TYPE = { float: 1, int64: 7 } as const

function varint(v: number, out: number[]): void {
  if (v < 0 || !Number.isInteger(v)) throw new Error(`onnx-graph: ${v} is not a non-negative integer`)
  while (v > 0x7f) {
    out.push((v % 0x80) | 0x80)
    v = Math.floor(v / 0x80)
  }
  out.push(v)
}

/** A length-delimited field (wire type 2). */
function bytesField(num: number, payload: number[] | string): number[] {
  const body = typeof payload === 'string' ? [...Buffer.from(payload)] : payload
  const out: number[] = []
  varint(num * 8 + 2, out)
  varint(body.length, out)
  return out.concat(body)
}

/** A varint field (wire type 0). */
function intField(num: number, v: number): number[] {
  const out: number[] = []
  varint(num * 8, out)
  varint(v, out)
  return out
}

function attribute(name: string, v: number | number[]): number[] {
  return typeof v === 'number'
    ? bytesField(1, name).concat(intField(3, v), intField(20, 2))
    : bytesField(1, name).concat(...v.map((x) => intField(8, x)), intField(20, 7))
}

function valueInfo(name: string, rank: number, elemType: keyof typeof ELEM_TYPE): number[] {
  const dims = Array.from({ length: rank }, (_, i) => bytesField(1, bytesField(2, `${name}${i}`))).flat()
  const tensor = intField(1, ELEM_TYPE[elemType]).concat(bytesField(2, dims))
  return bytesField(1, name).concat(bytesField(2, bytesField(1, tensor)))
}

/** The model `Y = op(inputs…)`, its output named Y. */
export function oneNodeModel(n: OnnxNode): Uint8Array {
  const node = n.inputs
    .flatMap((i) => bytesField(1, i.name))
    .concat(bytesField(2, 'Y'), bytesField(4, n.op))
    .concat(...Object.entries(n.attributes ?? {}).map(([k, v]) => bytesField(5, attribute(k, v))))
    .concat(n.domain ? bytesField(7, n.domain) : [])
  const graph = bytesField(1, node)
    .concat(bytesField(2, n.op))
    .concat(...n.inputs.map((i) => bytesField(11, valueInfo(i.name, i.rank, i.elemType ?? 'float'))))
    .concat(bytesField(12, valueInfo('Y', n.outputRank, 'float')))
  const opsets = bytesField(8, intField(2, 13)).concat(n.domain ? bytesField(8, bytesField(1, n.domain).concat(intField(2, 1))) : [])
  return Uint8Array.from(intField(1, 8).concat(bytesField(7, graph), opsets))
}
