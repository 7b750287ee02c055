/**
 * Reading an ONNX node's attributes and tensors as plain numbers and strings, with errors that
 * name the file, the node and the attribute.
 */
import { BundleError } from '../../errors.js'
import { DataType, type AttributeProto, type NodeProto, type TensorProto } from './proto.js'

const text = new TextDecoder()

/**
 * The values of a tensor (float, double, int32 or int64; typed fields or raw little-endian bytes).
 * @example tensorValues({ dataType: DataType.DOUBLE, doubleData: [0.5] }, 'model.onnx', 'base_values_as_tensor') // [0.5]
 */
export function tensorValues(t: TensorProto, file: string, field: string): number[] {
  const raw = t.rawData
  const type = t.dataType ?? DataType.UNDEFINED
  const fromRaw = (size: number, read: (v: DataView, o: number) => number): number[] => {
    if (raw!.length % size !== 0) throw new BundleError(`tensor raw data of ${raw!.length} bytes is not a whole number of ${size}-byte values`, { file, field })
    const view = new DataView(raw!.buffer, raw!.byteOffset, raw!.byteLength)
    return Array.from({ length: raw!.length / size }, (_, i) => read(view, i * size))
  }
  const hasRaw = raw !== undefined && raw.length > 0
  switch (type) {
    case DataType.FLOAT:
      return hasRaw ? fromRaw(4, (v, o) => v.getFloat32(o, true)) : (t.floatData ?? [])
    case DataType.DOUBLE:
      return hasRaw ? fromRaw(8, (v, o) => v.getFloat64(o, true)) : (t.doubleData ?? [])
    case DataType.INT32:
      return hasRaw ? fromRaw(4, (v, o) => v.getInt32(o, true)) : (t.int32Data ?? [])
    case DataType.INT64:
      return hasRaw
        ? fromRaw(8, (v, o) => {
            const x = v.getBigInt64(o, true)
            if (x > BigInt(Number.MAX_SAFE_INTEGER) || x < BigInt(Number.MIN_SAFE_INTEGER)) throw new BundleError(`int64 ${x} is beyond 2^53`, { file, field })
            return Number(x)
          })
        : (t.int64Data ?? [])
  }
  throw new BundleError(`tensor of data type ${type} is not supported here (float, double, int32 or int64)`, { file, field })
}

/**
 * Typed access to one node's attributes.
 * @example
 * const a = new Attributes(node, 'model.onnx', 'graph.node[0]')
 * a.ints('nodes_treeids')
 */
export class Attributes {
  private readonly byName = new Map<string, AttributeProto>()

  constructor(
    readonly node: NodeProto,
    readonly file: string,
    readonly path: string,
  ) {
    for (const a of node.attribute ?? []) if (a.name !== undefined) this.byName.set(a.name, a)
  }

  has(name: string): boolean {
    return this.byName.has(name)
  }

  /** A BundleError located at this node's attribute `name`. */
  error(name: string, message: string): BundleError {
    return new BundleError(`${this.node.opType} attribute '${name}': ${message}`, { file: this.file, field: `${this.path}.${name}` })
  }

  ints(name: string, fallback?: number[]): number[] {
    const a = this.byName.get(name)
    if (a === undefined) {
      if (fallback) return fallback
      throw this.error(name, 'is missing')
    }
    return a.ints ?? []
  }

  int(name: string, fallback: number): number {
    return this.byName.get(name)?.i ?? fallback
  }

  string(name: string, fallback: string): string {
    const s = this.byName.get(name)?.s
    return s === undefined ? fallback : text.decode(s)
  }

  strings(name: string): string[] {
    return (this.byName.get(name)?.strings ?? []).map((s) => text.decode(s))
  }

  /** Float values, from `<name>_as_tensor` (double, opset 3) when present, else from the float list `name`. */
  numbers(name: string, fallback?: number[]): number[] {
    const tensor = this.byName.get(`${name}_as_tensor`)?.t
    if (tensor) return tensorValues(tensor, this.file, `${this.path}.${name}_as_tensor`)
    const a = this.byName.get(name)
    if (a === undefined) {
      if (fallback) return fallback
      throw this.error(name, 'is missing')
    }
    return a.floats ?? []
  }
}
