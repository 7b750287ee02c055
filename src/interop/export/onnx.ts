/**
 * A whole ensemble as one ONNX model, runnable in onnxruntime, Triton or any ONNX host.
 *
 * Input `X`: float64 [N, F], the manifest's features in training order (the names are in the
 * metadata `feature_names`); a numeric feature as its value, a categorical one as its category's
 * index in the manifest's list (metadata `categories`), NaN for a missing value or a category
 * the model never saw. Output `prediction`: float64 [N, K], what `consort predict` outputs:
 * values (regression, K = 1), P(class 1) (binary, K = 1) or class probabilities (multiclass).
 */
import { DataError } from '../../errors.js'
import type { EnsemblePredictor } from '../../runtime/predictor.js'
import type { ModelProto, ValueInfoProto } from '../onnx/proto.js'
import { blendPrediction, BlendNotExportable } from './blend.js'
import { inputColumns } from './columns.js'
import { GraphBuilder, ML_DOMAIN, ML_OPSET, ONNX_OPSET } from './graph.js'
import { EXPORTABLE_KINDS, memberPrediction } from './members.js'

/** ONNX IR version of the files written (IR 10 goes with opset 21). */
export const IR_VERSION = 10

/** Names of the graph's input and output. */
export const INPUT_NAME = 'X'
export const OUTPUT_NAME = 'prediction'

/** Options of {@link exportOnnx}. */
export interface ExportOnnxOptions {
  /** The bundle's name, for errors. */
  readonly file?: string
  /** consort's version, written to the metadata. */
  readonly version: string
}

/**
 * The ensemble as an ONNX model (plain `onnx.proto` objects; `encodeModel` makes the bytes). A
 * member or blend the graph cannot express is a DataError naming it.
 * @example const bytes = encodeModel(exportOnnx(await EnsemblePredictor.fromBytes(b), { version: '0.1.0' }))
 */
export function exportOnnx(predictor: EnsemblePredictor, options: ExportOnnxOptions): ModelProto {
  const where = (field: string) => (options.file === undefined ? { field } : { file: options.file, field })
  const { manifest } = predictor
  const g = new GraphBuilder()
  const columns = inputColumns(g, INPUT_NAME, manifest.features)
  const preds = predictor.members.map((model, i) => {
    let p: string | null
    try {
      p = memberPrediction(g, model, columns)
    } catch (e) {
      if (e instanceof DataError) throw new DataError(`member '${predictor.memberNames[i]}' cannot be exported to ONNX: ${e.detail}`, where(`members.${i}`))
      throw e
    }
    if (p === null) {
      throw new DataError(
        `member '${predictor.memberNames[i]}' is a '${model.kind}' model, which the ONNX export cannot express (it expresses ${EXPORTABLE_KINDS.join(', ')})`,
        where(`members.${i}`),
      )
    }
    return p
  })
  let blended: string
  try {
    blended = blendPrediction(g, predictor.blend, preds, columns)
  } catch (e) {
    if (e instanceof BlendNotExportable || e instanceof DataError) throw new DataError(`the '${predictor.blend.kind}' blend cannot be exported to ONNX: ${e instanceof DataError ? e.detail : e.message}`, where('blender'))
    throw e
  }
  g.op('Identity', [blended], {}, { output: OUTPUT_NAME })
  const categories = Object.fromEntries(manifest.features.filter((f) => f.type === 'categorical').map((f) => [f.name, f.categories ?? []]))
  return {
    irVersion: IR_VERSION,
    opsetImport: [
      { domain: '', version: ONNX_OPSET },
      { domain: ML_DOMAIN, version: ML_OPSET },
    ],
    producerName: 'consort',
    producerVersion: options.version,
    docString: `consort ${manifest.task} ensemble: members ${predictor.memberNames.join(', ')}, blend ${predictor.blend.kind}`,
    graph: {
      name: 'consort_ensemble',
      node: g.nodes,
      initializer: g.initializers,
      input: [tensorInfo(INPUT_NAME, manifest.features.length, 'float64 [N, F]: the features in feature_names order; categorical features as their index in categories; NaN for missing or unseen')],
      output: [tensorInfo(OUTPUT_NAME, predictor.nOutputs, outputDoc(predictor))],
    },
    metadataProps: Object.entries({
      consort_version: options.version,
      bundle_library_version: manifest.libraryVersion,
      task: manifest.task,
      feature_names: JSON.stringify(manifest.features.map((f) => f.name)),
      feature_types: JSON.stringify(manifest.features.map((f) => f.type)),
      categories: JSON.stringify(categories),
      members: JSON.stringify(predictor.memberNames),
      blend: predictor.blend.kind,
      output: outputDoc(predictor),
    }).map(([key, value]) => ({ key, value })),
  }
}

function outputDoc(predictor: EnsemblePredictor): string {
  if (predictor.task === 'regression') return 'float64 [N, 1]: the predicted value'
  if (predictor.task === 'binary') return 'float64 [N, 1]: P(class 1)'
  return `float64 [N, ${predictor.nOutputs}]: the probability of each class`
}

function tensorInfo(name: string, width: number, doc: string): ValueInfoProto {
  return { name, docString: doc, type: { tensorType: { elemType: 11, shape: { dim: [{ dimParam: 'N' }, { dimValue: width }] } } } }
}
