/**
 * ONNX files (onnx.proto, IR version 3 to 9) read and written without a protobuf library: the
 * messages as plain objects whose field names are protobufjs's camelCase ones (`irVersion`,
 * `opsetImport`, `graph.node[].opType`, `tensor.rawData`...), described by one schema table that
 * drives both {@link decodeModel} and {@link encodeModel}. int64 fields are numbers (refused
 * beyond 2^53 on decode). Repeated fields always come back as arrays; a scalar absent from the
 * bytes is absent from the object (proto2 presence). Unknown fields are skipped.
 */
import { BundleError, ParamError } from '../../errors.js'
import { WIRE, WireFault, WireReader, WireWriter } from './wire.js'

/** TensorProto.DataType values. */
export const DataType = {
  UNDEFINED: 0, FLOAT: 1, UINT8: 2, INT8: 3, UINT16: 4, INT16: 5, INT32: 6, INT64: 7, STRING: 8, BOOL: 9,
  FLOAT16: 10, DOUBLE: 11, UINT32: 12, UINT64: 13, COMPLEX64: 14, COMPLEX128: 15, BFLOAT16: 16,
} as const

/** AttributeProto.AttributeType values. */
export const AttributeType = {
  UNDEFINED: 0, FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8,
  TENSORS: 9, GRAPHS: 10, SPARSE_TENSOR: 11, SPARSE_TENSORS: 12, TYPE_PROTO: 13, TYPE_PROTOS: 14,
} as const

export interface StringStringEntryProto { key?: string; value?: string }
export interface OperatorSetIdProto { domain?: string; version?: number }

export interface TensorProto {
  dims?: number[]
  dataType?: number
  floatData?: number[]
  int32Data?: number[]
  stringData?: Uint8Array[]
  int64Data?: number[]
  name?: string
  docString?: string
  rawData?: Uint8Array
  externalData?: StringStringEntryProto[]
  dataLocation?: number
  doubleData?: number[]
  uint64Data?: number[]
}

export interface TensorShapeProto { dim?: TensorShapeProto.Dimension[] }
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace TensorShapeProto {
  interface Dimension { dimValue?: number; dimParam?: string; denotation?: string }
}

export interface TypeProto {
  tensorType?: TypeProto.Tensor
  sequenceType?: TypeProto.Sequence
  mapType?: TypeProto.Map
  optionalType?: TypeProto.Optional
  sparseTensorType?: TypeProto.Tensor
  denotation?: string
}
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace TypeProto {
  interface Tensor { elemType?: number; shape?: TensorShapeProto }
  interface Sequence { elemType?: TypeProto }
  interface Map { keyType?: number; valueType?: TypeProto }
  interface Optional { elemType?: TypeProto }
}

export interface ValueInfoProto { name?: string; type?: TypeProto; docString?: string }

export interface AttributeProto {
  name?: string
  refAttrName?: string
  docString?: string
  type?: number
  f?: number
  i?: number
  s?: Uint8Array
  t?: TensorProto
  g?: GraphProto
  tp?: TypeProto
  floats?: number[]
  ints?: number[]
  strings?: Uint8Array[]
  tensors?: TensorProto[]
  graphs?: GraphProto[]
  typeProtos?: TypeProto[]
}

export interface NodeProto {
  input?: string[]
  output?: string[]
  name?: string
  opType?: string
  domain?: string
  attribute?: AttributeProto[]
  docString?: string
}

export interface GraphProto {
  node?: NodeProto[]
  name?: string
  initializer?: TensorProto[]
  docString?: string
  input?: ValueInfoProto[]
  output?: ValueInfoProto[]
  valueInfo?: ValueInfoProto[]
}

export interface ModelProto {
  irVersion?: number
  opsetImport?: OperatorSetIdProto[]
  producerName?: string
  producerVersion?: string
  domain?: string
  modelVersion?: number
  docString?: string
  graph?: GraphProto
  metadataProps?: StringStringEntryProto[]
}

/** How one field is stored: a scalar kind, or a message schema. */
type Kind = 'int64' | 'int32' | 'float' | 'double' | 'string' | 'bytes' | Schema
interface Field { name: string; kind: Kind; repeated?: boolean; packed?: boolean }
type Schema = { readonly [num: number]: Field }

const f = (name: string, kind: Kind, opts: { repeated?: boolean; packed?: boolean } = {}): Field => ({ name, kind, ...opts })
const rep = { repeated: true }
const packed = { repeated: true, packed: true }

// Field numbers as in onnx/onnx.proto. Sub-message schemas referring to each other are filled in below.
const STRING_STRING: Schema = { 1: f('key', 'string'), 2: f('value', 'string') }
const OPSET: Schema = { 1: f('domain', 'string'), 2: f('version', 'int64') }
const TENSOR: Schema = {
  1: f('dims', 'int64', rep), 2: f('dataType', 'int32'), 4: f('floatData', 'float', packed), 5: f('int32Data', 'int32', packed),
  6: f('stringData', 'bytes', rep), 7: f('int64Data', 'int64', packed), 8: f('name', 'string'), 12: f('docString', 'string'),
  9: f('rawData', 'bytes'), 13: f('externalData', STRING_STRING, rep), 14: f('dataLocation', 'int32'),
  10: f('doubleData', 'double', packed), 11: f('uint64Data', 'int64', packed),
}
const DIMENSION: Schema = { 1: f('dimValue', 'int64'), 2: f('dimParam', 'string'), 3: f('denotation', 'string') }
const SHAPE: Schema = { 1: f('dim', DIMENSION, rep) }
const TYPE: Record<number, Field> = {}
const TYPE_TENSOR: Schema = { 1: f('elemType', 'int32'), 2: f('shape', SHAPE) }
const TYPE_SEQUENCE: Schema = { 1: f('elemType', TYPE) }
const TYPE_MAP: Schema = { 1: f('keyType', 'int32'), 2: f('valueType', TYPE) }
const TYPE_OPTIONAL: Schema = { 1: f('elemType', TYPE) }
Object.assign(TYPE, {
  1: f('tensorType', TYPE_TENSOR), 4: f('sequenceType', TYPE_SEQUENCE), 5: f('mapType', TYPE_MAP),
  9: f('optionalType', TYPE_OPTIONAL), 8: f('sparseTensorType', TYPE_TENSOR), 6: f('denotation', 'string'),
})
const VALUE_INFO: Schema = { 1: f('name', 'string'), 2: f('type', TYPE), 3: f('docString', 'string') }
const GRAPH: Record<number, Field> = {}
const ATTRIBUTE: Schema = {
  1: f('name', 'string'), 21: f('refAttrName', 'string'), 13: f('docString', 'string'), 20: f('type', 'int32'),
  2: f('f', 'float'), 3: f('i', 'int64'), 4: f('s', 'bytes'), 5: f('t', TENSOR), 6: f('g', GRAPH), 14: f('tp', TYPE),
  7: f('floats', 'float', rep), 8: f('ints', 'int64', rep), 9: f('strings', 'bytes', rep), 10: f('tensors', TENSOR, rep),
  11: f('graphs', GRAPH, rep), 15: f('typeProtos', TYPE, rep),
}
const NODE: Schema = {
  1: f('input', 'string', rep), 2: f('output', 'string', rep), 3: f('name', 'string'), 4: f('opType', 'string'),
  7: f('domain', 'string'), 5: f('attribute', ATTRIBUTE, rep), 6: f('docString', 'string'),
}
Object.assign(GRAPH, {
  1: f('node', NODE, rep), 2: f('name', 'string'), 5: f('initializer', TENSOR, rep), 10: f('docString', 'string'),
  11: f('input', VALUE_INFO, rep), 12: f('output', VALUE_INFO, rep), 13: f('valueInfo', VALUE_INFO, rep),
})
const MODEL: Schema = {
  1: f('irVersion', 'int64'), 8: f('opsetImport', OPSET, rep), 2: f('producerName', 'string'), 3: f('producerVersion', 'string'),
  4: f('domain', 'string'), 5: f('modelVersion', 'int64'), 6: f('docString', 'string'), 7: f('graph', GRAPH),
  14: f('metadataProps', STRING_STRING, rep),
}

/** Sub-messages nest at most this deep (a graph in an attribute in a node in a graph...): a hostile file cannot blow the stack. */
const MAX_DEPTH = 100

/** The wire type a scalar kind is written with when not packed. */
function wireOf(kind: Kind): number {
  if (kind === 'float') return WIRE.FIXED32
  if (kind === 'double') return WIRE.FIXED64
  if (kind === 'int64' || kind === 'int32') return WIRE.VARINT
  return WIRE.LEN
}

function readScalar(r: WireReader, kind: Kind): unknown {
  switch (kind) {
    case 'int64': return r.int64()
    case 'int32': return r.int32()
    case 'float': return r.float()
    case 'double': return r.double()
    case 'string': return r.string()
    case 'bytes': return r.bytesField()
  }
  throw new Error('unreachable')
}

/** A fault with the path of the field being read. */
class PathFault extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(reason)
  }
}

function decodeMessage(r: WireReader, schema: Schema, path: string, depth: number): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw new PathFault(path, `messages nest deeper than ${MAX_DEPTH}`)
  const out: Record<string, unknown> = {}
  const counts: Record<string, number> = {}
  for (const num in schema) {
    const field = schema[num]!
    if (field.repeated) out[field.name] = []
  }
  while (r.more()) {
    let tag: { field: number; wire: number }
    try {
      tag = r.tag()
    } catch (e) {
      throw e instanceof WireFault ? new PathFault(path, e.message) : e
    }
    const field = schema[tag.field]
    if (!field) {
      try {
        r.skip(tag.wire)
      } catch (e) {
        throw e instanceof WireFault ? new PathFault(`${path}.<field ${tag.field}>`, e.message) : e
      }
      continue
    }
    const index = field.repeated ? (counts[field.name] = (counts[field.name] ?? -1) + 1) : -1
    const here = `${path ? path + '.' : ''}${field.name}${index >= 0 ? `[${index}]` : ''}`
    try {
      if (typeof field.kind === 'object') {
        if (tag.wire !== WIRE.LEN) throw new WireFault(`wire type ${tag.wire} where a message (2) is expected`)
        const { start, end } = r.span()
        const value = decodeMessage(new WireReader(r.bytes, start, end), field.kind, here, depth + 1)
        if (field.repeated) (out[field.name] as unknown[]).push(value)
        else out[field.name] = value
      } else if (field.repeated && tag.wire === WIRE.LEN && field.kind !== 'string' && field.kind !== 'bytes') {
        // Packed repeated scalars: one length-delimited run of values.
        const { start, end } = r.span()
        const inner = new WireReader(r.bytes, start, end)
        const list = out[field.name] as unknown[]
        while (inner.more()) list.push(readScalar(inner, field.kind))
        counts[field.name] = list.length - 1
      } else {
        if (tag.wire !== wireOf(field.kind)) throw new WireFault(`wire type ${tag.wire} where ${wireOf(field.kind)} is expected`)
        const value = readScalar(r, field.kind)
        if (field.repeated) (out[field.name] as unknown[]).push(value)
        else out[field.name] = value
      }
    } catch (e) {
      throw e instanceof WireFault ? new PathFault(here, e.message) : e
    }
  }
  return out
}

/**
 * Read an ONNX model file. Truncated or malformed bytes are a {@link BundleError} naming the file
 * and the path of the field that could not be read (e.g. `graph.node[3].attribute[0].floats`).
 * @example
 * const model = decodeModel(readFileSync('model.onnx'), 'model.onnx')
 * model.graph?.node?.map((n) => n.opType) // ['TreeEnsembleRegressor']
 */
export function decodeModel(bytes: Uint8Array, file?: string): ModelProto {
  if (bytes.length === 0) throw new BundleError('not an ONNX model: the file is empty', { file })
  try {
    return decodeMessage(new WireReader(bytes), MODEL, '', 0) as ModelProto
  } catch (e) {
    if (e instanceof PathFault) {
      throw new BundleError(`not a readable ONNX model: ${e.reason}`, { file, field: e.path || undefined })
    }
    throw e
  }
}

function checkInt(v: unknown, path: string, kind: 'int64' | 'int32'): number {
  const limit = kind === 'int32' ? 2 ** 31 : Number.MAX_SAFE_INTEGER + 1
  if (typeof v !== 'number' || !Number.isInteger(v) || v >= limit || v < -limit) {
    throw new ParamError(`${String(v)} is not an ${kind}`, { field: path })
  }
  return v
}

function writeScalar(w: WireWriter, kind: Kind, v: unknown, path: string): void {
  switch (kind) {
    case 'int64':
    case 'int32':
      return w.int64(checkInt(v, path, kind))
    case 'float':
    case 'double':
      if (typeof v !== 'number') throw new ParamError(`${String(v)} is not a number`, { field: path })
      return kind === 'float' ? w.float(v) : w.double(v)
    case 'string':
      if (typeof v !== 'string') throw new ParamError(`${String(v)} is not a string`, { field: path })
      return w.string(v)
    case 'bytes':
      if (!(v instanceof Uint8Array)) throw new ParamError('is not a Uint8Array', { field: path })
      return w.bytes(v)
  }
}

function encodeMessage(w: WireWriter, msg: Record<string, unknown>, schema: Schema, path: string): void {
  for (const key in schema) {
    const num = Number(key)
    const field = schema[num]!
    const value = msg[field.name]
    if (value === undefined || value === null) continue
    const here = `${path ? path + '.' : ''}${field.name}`
    const kind = field.kind
    if (field.repeated) {
      if (!Array.isArray(value)) throw new ParamError('is not an array', { field: here })
      if (value.length === 0) continue
      if (field.packed) {
        const inner = new WireWriter()
        value.forEach((v, i) => writeScalar(inner, kind, v, `${here}[${i}]`))
        w.tag(num, WIRE.LEN)
        w.bytes(inner.finish())
        continue
      }
      value.forEach((v, i) => writeOne(w, num, kind, v, `${here}[${i}]`))
    } else writeOne(w, num, kind, value, here)
  }
}

function writeOne(w: WireWriter, num: number, kind: Kind, value: unknown, path: string): void {
  if (typeof kind === 'object') {
    if (typeof value !== 'object' || value === null) throw new ParamError('is not a message object', { field: path })
    const inner = new WireWriter()
    encodeMessage(inner, value as Record<string, unknown>, kind, path)
    w.tag(num, WIRE.LEN)
    w.bytes(inner.finish())
    return
  }
  w.tag(num, wireOf(kind))
  writeScalar(w, kind, value, path)
}

/**
 * Write an ONNX model file. Fields are written in field-number order; the tensor data fields
 * onnx.proto declares packed are packed, the others (`dims`, `floats`, `ints`) are not, as the
 * reference implementation writes them. A value of the wrong type is a {@link ParamError} naming its path.
 * @example
 * const bytes = encodeModel({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph: { name: 'g', node: [] } })
 * decodeModel(bytes).irVersion // 8
 */
export function encodeModel(model: ModelProto): Uint8Array {
  const w = new WireWriter()
  encodeMessage(w, model as Record<string, unknown>, MODEL, '')
  return w.finish()
}
