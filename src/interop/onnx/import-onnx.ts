/**
 * Importing an ONNX model file as an ensemble member: tree ensembles and linear models of
 * ai.onnx.ml become native consort models (`imported_trees`, `linear`) where the conversion is
 * exact; any other graph is kept whole as an `onnx` member run by onnxruntime.
 */
import { BundleError } from '../../errors.js'
import { ImportedTreesModel } from '../../runtime/models/imported-trees.js'
import type { Model } from '../../runtime/models/types.js'
import { Attributes } from './attributes.js'
import { coreOp, featureInputs, type FeatureInputs } from './graph.js'
import { convertLinear } from './linear.js'
import { NotConvertible } from './not-convertible.js'
import { OnnxModel } from './onnx-model.js'
import { decodeModel, type ModelProto } from './proto.js'
import { registerOnnxModelKind } from './register.js'
import { convertTrees } from './trees.js'

/** ai.onnx.ml opsets whose TreeEnsemble* and Linear* attributes this converter reads (5 changed the tree attributes). */
const ML_OPSETS = [1, 2, 3, 4]

/**
 * The model an ONNX file holds, reading its features in `featureNames` order (one [N, F] float
 * input), or one input per feature named after it. Malformed files and unsupported inputs are
 * BundleErrors naming the file; feature names that do not fit are a ParamError.
 * @example
 * const model = await importOnnx(readFileSync('gbr.onnx'), { file: 'gbr.onnx', featureNames: ['age', 'bmi'] })
 * model.kind // 'imported_trees'
 */
export async function importOnnx(bytes: Uint8Array, options: { file: string; featureNames?: readonly string[] }): Promise<Model> {
  const { file } = options
  const model = decodeModel(bytes, file)
  const graph = model.graph
  if (!graph) throw new BundleError('the ONNX model has no graph', { file, field: 'graph' })
  const inputs = featureInputs(graph, file, options.featureNames)
  let reason: string
  try {
    return convert(model, inputs, file)
  } catch (e) {
    if (!(e instanceof NotConvertible)) throw e
    reason = e.message
  }
  registerOnnxModelKind()
  // The member's state keeps the bytes, and states encode plain typed arrays (not Node's Buffer).
  const own = bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes)
  return OnnxModel.open(own, inputs, file, reason)
}

/** The native model of a graph, or {@link NotConvertible}. */
function convert(model: ModelProto, inputs: FeatureInputs, file: string): Model {
  if (inputs.mode !== 'matrix') throw new NotConvertible('the graph reads one input per feature')
  if (inputs.elemType !== 'float32') throw new NotConvertible('the graph reads float64 inputs')
  const ml = model.opsetImport?.find((o) => o.domain === 'ai.onnx.ml')?.version
  const core = coreOp(model.graph!, inputs.inputNames[0]!)
  const path = `graph.node[${core.index}]`
  if (ml !== undefined && !ML_OPSETS.includes(ml)) throw new NotConvertible(`ai.onnx.ml opset ${ml}`)
  const a = new Attributes(core.node, file, path)
  if (core.node.opType!.startsWith('TreeEnsemble')) {
    const { ensemble, task, link, classLabels } = convertTrees(a, inputs.featureNames.length)
    return new ImportedTreesModel(task, ensemble, inputs.featureNames, link, `onnx:${core.node.opType}`, classLabels)
  }
  const scaler = core.scaler ? new Attributes(core.scaler.node, file, `graph.node[${core.scaler.index}]`) : undefined
  return convertLinear(a, scaler, inputs.featureNames)
}
