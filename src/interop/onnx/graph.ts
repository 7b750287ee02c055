/**
 * Reading an ONNX graph's shape: which inputs carry the features (one float tensor [N, F], or one
 * input per feature) and, for the native conversion, the one ai.onnx.ml operator that does the
 * work with only the wrappers converters put around it (Cast, Identity, ZipMap, a Scaler before a
 * linear model).
 */
import { BundleError, ParamError } from '../../errors.js'
import { NotConvertible } from './not-convertible.js'
import { DataType, type GraphProto, type NodeProto, type ValueInfoProto } from './proto.js'

/** How features reach the graph: one matrix input, or one input per feature (named after it). */
export interface FeatureInputs {
  readonly mode: 'matrix' | 'columns'
  /** The graph's input names: one for a matrix, one per feature otherwise. */
  readonly inputNames: readonly string[]
  /** The model's features, in the order the graph reads them. */
  readonly featureNames: readonly string[]
  readonly elemType: 'float32' | 'float64'
}

const ELEM: Record<number, 'float32' | 'float64'> = { [DataType.FLOAT]: 'float32', [DataType.DOUBLE]: 'float64' }

function describe(v: ValueInfoProto): string {
  const t = v.type?.tensorType
  if (!t) return `'${v.name}' (not a tensor)`
  const dims = (t.shape?.dim ?? []).map((d) => d.dimValue ?? d.dimParam ?? '?')
  return `'${v.name}' (element type ${t.elemType}, shape [${dims.join(', ')}])`
}

/**
 * The graph's feature inputs, checked against `featureNames` when given; other shapes are refused
 * with the inputs described.
 * @example featureInputs(model.graph!, 'model.onnx', ['age', 'bmi']) // { mode: 'matrix', inputNames: ['input'], ... }
 */
export function featureInputs(graph: GraphProto, file: string, featureNames?: readonly string[]): FeatureInputs {
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name))
  const inputs = (graph.input ?? []).filter((v) => !initializers.has(v.name))
  if (inputs.length === 0) throw new BundleError('the ONNX graph has no input', { file, field: 'graph.input' })
  const refuse = (): never => {
    throw new BundleError(
      `the ONNX graph's inputs ${inputs.map(describe).join(', ')} are not one float tensor [N, F] nor one float input [N, 1] per feature`,
      { file, field: 'graph.input' },
    )
  }
  const tensor = (v: ValueInfoProto) => {
    const t = v.type?.tensorType
    const elem = t?.elemType !== undefined ? ELEM[t.elemType] : undefined
    return t && elem ? { elem, dims: t.shape?.dim ?? [] } : refuse()
  }
  if (inputs.length === 1) {
    const { elem, dims } = tensor(inputs[0]!)
    if (dims.length === 2 && (dims[1]!.dimValue !== 1 || featureNames)) {
      const width = dims[1]!.dimValue
      let names: readonly string[]
      if (featureNames) {
        if (width !== undefined && featureNames.length !== width) {
          throw new ParamError(`${featureNames.length} feature names are given, but the ONNX graph's input '${inputs[0]!.name}' has ${width} columns`, { file, field: 'featureNames' })
        }
        names = featureNames
      } else if (width !== undefined) names = Array.from({ length: width }, (_, f) => `f${f}`)
      else throw new BundleError(`the ONNX graph's input '${inputs[0]!.name}' has no fixed number of columns: give the feature names`, { file, field: 'graph.input' })
      return { mode: 'matrix', inputNames: [inputs[0]!.name!], featureNames: names, elemType: elem }
    }
  }
  // One input per feature: [N, 1], named after the feature.
  const types = inputs.map((v) => {
    const { elem, dims } = tensor(v)
    if (dims.length !== 2 || dims[1]!.dimValue !== 1) refuse()
    return elem
  })
  if (new Set(types).size > 1) refuse()
  const names = inputs.map((v) => v.name!)
  if (featureNames) {
    const missing = names.filter((n) => !featureNames.includes(n))
    if (missing.length > 0 || featureNames.length !== names.length) {
      throw new ParamError(`the ONNX graph reads one input per feature (${names.join(', ')}); the feature names given (${featureNames.join(', ')}) do not match them`, { file, field: 'featureNames' })
    }
  }
  return { mode: 'columns', inputNames: names, featureNames: names, elemType: types[0]! }
}

const ML_OPS = new Set(['TreeEnsembleRegressor', 'TreeEnsembleClassifier', 'LinearRegressor', 'LinearClassifier'])
const FLOAT_CASTS = new Set<number>([DataType.FLOAT, DataType.DOUBLE])

/** The operator to convert, its index in `graph.node`, and the Scaler before it, if any. */
export interface CoreOp {
  readonly node: NodeProto
  readonly index: number
  readonly scaler?: { node: NodeProto; index: number }
}

function castsToFloat(node: NodeProto): boolean {
  const to = node.attribute?.find((a) => a.name === 'to')?.i
  return to !== undefined && FLOAT_CASTS.has(to)
}

/**
 * The one ai.onnx.ml model operator of a graph with a single matrix input, when everything else
 * is a wrapper; otherwise {@link NotConvertible} saying what is in the way.
 * @example const { node } = coreOp(model.graph!, 'input')
 */
export function coreOp(graph: GraphProto, inputName: string): CoreOp {
  const nodes = graph.node ?? []
  const cores = nodes.map((n, i) => [n, i] as const).filter(([n]) => n.domain === 'ai.onnx.ml' && ML_OPS.has(n.opType ?? ''))
  if (cores.length !== 1) throw new NotConvertible(`the graph has ${cores.length} ai.onnx.ml model operators, not one`)
  const [node, index] = cores[0]!
  const producer = new Map<string, number>()
  nodes.forEach((n, i) => n.output?.forEach((o) => producer.set(o, i)))
  const chain = new Set<number>([index])
  let scaler: CoreOp['scaler']
  let name = node.input?.[0] ?? ''
  while (name !== inputName) {
    const p = producer.get(name)
    if (p === undefined) throw new NotConvertible(`the ${node.opType} reads '${name}', which is not the graph's input`)
    const n = nodes[p]!
    const wrapper = (n.opType === 'Identity' && !n.domain) || (n.opType === 'Cast' && !n.domain && castsToFloat(n))
    const isScaler = n.opType === 'Scaler' && n.domain === 'ai.onnx.ml' && !scaler && node.opType!.startsWith('Linear')
    if (!wrapper && !isScaler) throw new NotConvertible(`a ${n.opType} node before the ${node.opType}`)
    if (isScaler) scaler = { node: n, index: p }
    chain.add(p)
    name = n.input?.[0] ?? ''
  }
  // Every other node must wrap the operator's outputs, and some graph output must carry its scores.
  const scores = node.output?.[node.opType!.endsWith('Classifier') ? 1 : 0]
  const fromScores = new Set<string>(scores ? [scores] : [])
  const downstream = new Set<string>(node.output ?? [])
  nodes.forEach((n, i) => {
    if (chain.has(i)) return
    const ok = (n.opType === 'Identity' && !n.domain) || (n.opType === 'Cast' && !n.domain && castsToFloat(n)) || (n.opType === 'ZipMap' && n.domain === 'ai.onnx.ml')
    if (!ok || !(n.input ?? []).every((x) => downstream.has(x))) throw new NotConvertible(`a ${n.opType} node besides the ${node.opType}`)
    n.output?.forEach((o) => downstream.add(o))
    if ((n.input ?? []).some((x) => fromScores.has(x))) n.output?.forEach((o) => fromScores.add(o))
  })
  if (!(graph.output ?? []).some((o) => fromScores.has(o.name ?? ''))) throw new NotConvertible(`no graph output carries the ${node.opType}'s scores`)
  return { node, index, scaler }
}
