/**
 * Building an ONNX graph as plain `onnx.proto` objects (the codec's interfaces): nodes with
 * generated value names, constants as initializers (float64 and int64 in `rawData`, little-endian,
 * so no precision is lost and the file stays compact), and the opsets every node draws on. Every
 * value the export computes is float64 unless its name says otherwise.
 */
import { AttributeType, DataType, type AttributeProto, type NodeProto, type TensorProto } from '../onnx/proto.js'

/** The default domain's opset the export writes (TreeEnsemble needs ai.onnx.ml 5, which pairs with it). */
export const ONNX_OPSET = 21
/** ai.onnx.ml opset: 5 brings `TreeEnsemble`, whose splits, leaves and output are float64. */
export const ML_OPSET = 5
export const ML_DOMAIN = 'ai.onnx.ml'

/** An attribute value: a number is an INT unless given as {@link float}, an array of numbers INTS. */
export type AttributeValue = number | string | readonly number[] | TensorProto | { readonly float: number }

/**
 * Nodes and initializers under construction, with names that never collide.
 * @example
 * const g = new GraphBuilder()
 * const y = g.op('Add', ['X', g.doubles([1], [1])])
 */
export class GraphBuilder {
  readonly nodes: NodeProto[] = []
  readonly initializers: TensorProto[] = []
  private next = 0

  /** A new value name starting with `hint`. */
  name(hint: string): string {
    return `${hint}_${this.next++}`
  }

  /**
   * Adds a node and returns its first output's name (`outputs` names them, else one is made).
   * @example const p = g.op('Sigmoid', [margin])
   */
  op(opType: string, inputs: readonly string[], attributes: Readonly<Record<string, AttributeValue>> = {}, options: { domain?: string; output?: string } = {}): string {
    const output = options.output ?? this.name(opType.toLowerCase())
    const node: NodeProto = { opType, input: [...inputs], output: [output], name: this.name(`n_${opType}`), attribute: Object.entries(attributes).map(([name, v]) => attribute(name, v)) }
    if (options.domain !== undefined) node.domain = options.domain
    this.nodes.push(node)
    return output
  }

  /**
   * A float64 constant of shape `dims`, as an initializer.
   * @example const w = g.doubles([0.5, 0.5], [2, 1])
   */
  doubles(values: ArrayLike<number>, dims: readonly number[], hint = 'c'): string {
    const name = this.name(hint)
    this.initializers.push({ name, ...doubleTensor(values, dims) })
    return name
  }

  /**
   * An int64 constant of shape `dims` (indices, axes, shapes), as an initializer.
   * @example const axes = g.int64s([1], [1])
   */
  int64s(values: ArrayLike<number>, dims: readonly number[], hint = 'i'): string {
    const name = this.name(hint)
    const raw = new BigInt64Array(values.length)
    for (let i = 0; i < values.length; i++) raw[i] = BigInt(values[i])
    this.initializers.push({ name, dims: [...dims], dataType: DataType.INT64, rawData: new Uint8Array(raw.buffer) })
    return name
  }

  /** Sum of `terms` (at least one), added pairwise left to right as a loop of `+=` would. */
  sum(terms: readonly string[]): string {
    return terms.slice(1).reduce((acc, t) => this.op('Add', [acc, t]), terms[0])
  }

  /**
   * `x[:, columns]` as a [N, columns.length] matrix (`x` itself when the columns are all of it in order).
   * @example const sub = g.columns('X', [2, 0], 3)
   */
  columns(x: string, columns: readonly number[], width: number): string {
    if (columns.length === width && columns.every((c, i) => c === i)) return x
    return this.op('Gather', [x, this.int64s(columns, [columns.length])], { axis: 1 })
  }
}

/**
 * A float64 tensor in `rawData` (little-endian, as onnx.proto stores raw data).
 * @example const t = doubleTensor([0.5], [1])
 */
export function doubleTensor(values: ArrayLike<number>, dims: readonly number[]): TensorProto {
  const raw = Float64Array.from(values)
  return { dims: [...dims], dataType: DataType.DOUBLE, rawData: new Uint8Array(raw.buffer) }
}

/**
 * A uint8 tensor (TreeEnsemble's node modes).
 * @example const modes = uint8Tensor([1, 1])
 */
export function uint8Tensor(values: ArrayLike<number>): TensorProto {
  return { dims: [values.length], dataType: DataType.UINT8, rawData: Uint8Array.from(values) }
}

function attribute(name: string, v: AttributeValue): AttributeProto {
  if (typeof v === 'number') return { name, type: AttributeType.INT, i: v }
  if (typeof v === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(v) }
  if (Array.isArray(v)) return { name, type: AttributeType.INTS, ints: [...(v as number[])] }
  if ('float' in v) return { name, type: AttributeType.FLOAT, f: v.float }
  return { name, type: AttributeType.TENSOR, t: v as TensorProto }
}

/**
 * A [N, width] float64 tensor of zeros, N taken from the rows of `like`.
 * @example const z = zeros(g, 'X', 3)
 */
export function zeros(g: GraphBuilder, like: string, width: number): string {
  const rows = g.op('Shape', [like], { end: 1 })
  const shape = g.op('Concat', [rows, g.int64s([width], [1])], { axis: 0 })
  return g.op('ConstantOfShape', [shape], { value: doubleTensor([0], [1]) })
}
