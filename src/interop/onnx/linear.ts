/**
 * ONNX `LinearRegressor` and `LinearClassifier` (ai.onnx.ml), optionally after a `Scaler`,
 * converted into consort's linear model: a scaler's `(x - offset) * scale` is the model's own
 * standardisation (mean = offset, scale = 1 / scale), and the post transform becomes the task's
 * link where that is exact.
 */
import { LinearModel } from '../../runtime/models/linear.js'
import type { NumericInput } from '../../runtime/linear.js'
import { BundleError } from '../../errors.js'
import { labelsOf } from './trees.js'
import type { Attributes } from './attributes.js'
import { NotConvertible } from './not-convertible.js'

/**
 * The linear model of one Linear* node (and its Scaler, if any) over `featureNames`.
 * @example const model = convertLinear(new Attributes(node, 'model.onnx', 'graph.node[0]'), undefined, names)
 */
export function convertLinear(a: Attributes, scaler: Attributes | undefined, featureNames: readonly string[]): LinearModel {
  const F = featureNames.length
  const inputs: NumericInput[] = featureNames.map((name, f) => ({ name, type: 'numeric', ...scalingOf(scaler, f, F) }))
  const coefficients = a.numbers('coefficients')
  const intercepts = a.numbers('intercepts', [])
  const post = a.string('post_transform', 'NONE')
  const info = { solver: 'imported', nIter: 0, gradNorm: 0, converged: true } as const
  const params = { source: `onnx:${a.node.opType}`, post_transform: post }
  if (a.node.opType === 'LinearRegressor') {
    const targets = a.int('targets', 1)
    if (targets !== 1) throw new BundleError(`LinearRegressor with ${targets} targets: a member predicts one target`, { file: a.file, field: `${a.path}.targets` })
    if (coefficients.length !== F) throw a.error('coefficients', `has ${coefficients.length} values for ${F} features`)
    if (post !== 'NONE') throw new NotConvertible(`post_transform '${post}' on a regressor`)
    return new LinearModel('regression', inputs, Float64Array.from(coefficients), Float64Array.of(intercepts[0] ?? 0), params, info)
  }
  const labels = labelsOf(a)
  const K = labels.length
  if (K < 2) throw a.error('classlabels_ints', `has ${K} class(es); a classifier needs 2 or more`)
  if (coefficients.length % F !== 0) throw a.error('coefficients', `has ${coefficients.length} values, not a multiple of ${F} features`)
  const rows = coefficients.length / F
  if (intercepts.length !== 0 && intercepts.length !== rows) throw a.error('intercepts', `has ${intercepts.length} values for ${rows} coefficient rows`)
  const row = (k: number) => coefficients.slice(k * F, (k + 1) * F)
  const b = (k: number) => intercepts[k] ?? 0
  const withParams = { ...params, classes: labels }
  if (K === 2 && rows === 1) {
    // onnxruntime scores a one-row binary classifier as [-s, s]; LOGISTIC makes that [1 - p, p].
    if (post !== 'LOGISTIC') throw new NotConvertible(`a one-row binary LinearClassifier with post_transform '${post}'`)
    return new LinearModel('binary', inputs, Float64Array.from(row(0)), Float64Array.of(b(0)), withParams, info)
  }
  if (rows !== K) throw a.error('coefficients', `has ${rows} rows for ${K} classes`)
  if (K === 2) {
    // softmax over two scores is sigmoid of their difference.
    if (post !== 'SOFTMAX') throw new NotConvertible(`a two-row binary LinearClassifier with post_transform '${post}'`)
    const r0 = row(0)
    return new LinearModel('binary', inputs, Float64Array.from(row(1), (c, f) => c - r0[f]!), Float64Array.of(b(1) - b(0)), withParams, info)
  }
  if (post !== 'SOFTMAX') throw new NotConvertible(`a multiclass LinearClassifier with post_transform '${post}' (only SOFTMAX gives class probabilities)`)
  return new LinearModel('multiclass', inputs, Float64Array.from(coefficients), Float64Array.from({ length: K }, (_, k) => b(k)), withParams, info)
}

/** Feature f's standardisation: a Scaler's offset and 1 / scale (one value broadcast, or one per feature). */
function scalingOf(scaler: Attributes | undefined, f: number, F: number): { mean: number; scale: number } {
  if (!scaler) return { mean: 0, scale: 1 }
  const offset = scaler.numbers('offset', [0])
  const scale = scaler.numbers('scale', [1])
  const pick = (list: number[], name: string) => {
    if (list.length !== 1 && list.length !== F) throw scaler.error(name, `has ${list.length} values for ${F} features`)
    return list.length === 1 ? list[0]! : list[f]!
  }
  const s = pick(scale, 'scale')
  if (s === 0 || !Number.isFinite(s)) throw new NotConvertible(`Scaler scale ${s} has no inverse`)
  return { mean: pick(offset, 'offset'), scale: 1 / s }
}
