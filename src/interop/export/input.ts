/**
 * The input tensor of an exported ONNX model, made from rows consort would predict: the frame is
 * aligned to the manifest's features (by name, categories moved onto the training codes, unseen
 * ones missing) and laid out row-major [N, F] as float64, a categorical feature as its code, NaN
 * for missing. What a serving client of the ONNX model sends.
 */
import type { Frame } from '../../data/frame.js'
import type { EnsemblePredictor } from '../../runtime/predictor.js'

/**
 * Row-major [frame.nRows, features] float64 values of `frame` for the exported model's `X`.
 * @example const x = onnxInput(model, model.frameFromRows(rows, { names: header }))
 */
export function onnxInput(predictor: EnsemblePredictor, frame: Frame): Float64Array {
  const aligned = predictor.align(frame)
  const n = aligned.nRows
  const F = aligned.columns.length
  const x = new Float64Array(n * F)
  aligned.columns.forEach((c, j) => {
    if (c.type === 'numeric') for (let i = 0; i < n; i++) x[i * F + j] = c.values[i]
    else for (let i = 0; i < n; i++) x[i * F + j] = c.codes[i] < 0 ? NaN : c.codes[i]
  })
  return x
}
