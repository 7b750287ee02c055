/**
 * Linear-model inference: the stored preprocessing (standardised numeric inputs, one-hot
 * categorical inputs) and coefficients, applied to a frame or to row-major values, then the
 * output link. Training builds its design matrix with {@link encodeFrame}, so a fitted model sees
 * exactly the encoding it was trained on. No Node-only imports.
 */
import type { Column, Frame } from '../data/frame.js'
import { DataError } from '../errors.js'
import { applyLink, type Link } from './link.js'
import { featureColumns } from './predict-frame.js'

/** A numeric input: standardised as (x - mean) / scale; a missing value takes the mean (encodes to 0). */
export interface NumericInput {
  readonly name: string
  readonly type: 'numeric'
  readonly mean: number
  /** Standard deviation over the training rows; 1 for a constant or all-missing column. */
  readonly scale: number
}

/** A categorical input: one 0/1 column per training category; unseen or missing gives all zeros. */
export interface CategoricalInput {
  readonly name: string
  readonly type: 'categorical'
  readonly categories: readonly string[]
}

export type LinearInput = NumericInput | CategoricalInput

/** Everything inference needs: the inputs' encoding, the coefficients and the link. */
export interface LinearPredictor {
  readonly inputs: readonly LinearInput[]
  readonly nOutputs: number
  /** Coefficients on the encoded columns, row-major nOutputs x {@link encodedWidth}. */
  readonly coef: Float64Array
  /** One intercept per output. */
  readonly intercept: Float64Array
  readonly link: Link
}

/**
 * Number of encoded columns: one per numeric input plus one per category.
 * @example encodedWidth([{ name: 'x', type: 'numeric', mean: 0, scale: 1 }]) // 1
 */
export function encodedWidth(inputs: readonly LinearInput[]): number {
  let w = 0
  for (const input of inputs) w += input.type === 'numeric' ? 1 : input.categories.length
  return w
}

/**
 * For each code of `column`'s dictionary, the index of that category among `input.categories`
 * (-1 when the model never saw it). Categories are matched by name, so frames with another
 * dictionary order predict the same.
 */
function categoryMap(input: CategoricalInput, column: Column): Int32Array {
  if (column.type !== 'categorical') {
    throw new DataError(`column '${input.name}' is numeric, but the model was trained on it as categorical`, { field: input.name })
  }
  const index = new Map<string, number>()
  input.categories.forEach((c, i) => index.set(c, i))
  return Int32Array.from(column.categories, (c) => index.get(c) ?? -1)
}

function numericValues(input: NumericInput, column: Column): Float64Array {
  if (column.type !== 'numeric') {
    throw new DataError(`column '${input.name}' is categorical, but the model was trained on it as numeric`, { field: input.name })
  }
  return column.values
}

/**
 * Writes the encoded rows of `frame` (all rows, or `rows` in that order) row-major into `out`
 * (length at least rows x {@link encodedWidth}). Columns are matched by name.
 * @example
 * const x = new Float64Array(frame.nRows * encodedWidth(inputs))
 * encodeFrame(inputs, frame, undefined, x)
 */
export function encodeFrame(inputs: readonly LinearInput[], frame: Frame, rows: Int32Array | undefined, out: Float64Array): void {
  const columns = featureColumns(inputs.map((i) => i.name), frame)
  const n = rows ? rows.length : frame.nRows
  const width = encodedWidth(inputs)
  out.fill(0, 0, n * width)
  let offset = 0
  inputs.forEach((input, f) => {
    if (input.type === 'numeric') {
      const v = numericValues(input, columns[f])
      const { mean, scale } = input
      for (let i = 0; i < n; i++) {
        const x = v[rows ? rows[i] : i]
        out[i * width + offset] = x === x ? (x - mean) / scale : 0
      }
      offset++
    } else {
      const map = categoryMap(input, columns[f])
      const codes = (columns[f] as Extract<Column, { type: 'categorical' }>).codes
      for (let i = 0; i < n; i++) {
        const code = codes[rows ? rows[i] : i]
        const j = code >= 0 ? map[code] : -1
        if (j >= 0) out[i * width + offset + j] = 1
      }
      offset += input.categories.length
    }
  })
}

/**
 * Raw margins (row-major n x nOutputs) of `frame`, whose columns are matched to the model's inputs
 * by name. Accumulated column by column, so no encoded copy of the frame is made.
 * @example const margins = linearMargins(predictor, frame)
 */
export function linearMargins(model: LinearPredictor, frame: Frame): Float64Array {
  const { inputs, nOutputs: K, coef, intercept } = model
  const columns = featureColumns(inputs.map((i) => i.name), frame)
  const n = frame.nRows
  const width = encodedWidth(inputs)
  const out = new Float64Array(n * K)
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) out[i * K + k] = intercept[k]
  let offset = 0
  inputs.forEach((input, f) => {
    if (input.type === 'numeric') {
      const v = numericValues(input, columns[f])
      const { mean, scale } = input
      for (let k = 0; k < K; k++) {
        const w = coef[k * width + offset]
        if (w === 0) continue
        for (let i = 0; i < n; i++) {
          const x = v[i]
          if (x === x) out[i * K + k] += w * ((x - mean) / scale)
        }
      }
      offset++
    } else {
      const map = categoryMap(input, columns[f])
      const codes = (columns[f] as Extract<Column, { type: 'categorical' }>).codes
      for (let i = 0; i < n; i++) {
        const code = codes[i]
        const j = code >= 0 ? map[code] : -1
        if (j < 0) continue
        for (let k = 0; k < K; k++) out[i * K + k] += coef[k * width + offset + j]
      }
      offset += input.categories.length
    }
  })
  return out
}

/**
 * Raw margins of row-major values `x` (n x inputs.length, in the model's input order): numeric
 * values as they are, categorical inputs as an index into the input's categories, NaN missing.
 * @example const margins = linearMarginsRows(predictor, Float64Array.of(1.5, 0), 1)
 */
export function linearMarginsRows(model: LinearPredictor, x: Float64Array, nRows: number): Float64Array {
  const { inputs, nOutputs: K, coef, intercept } = model
  const nIn = inputs.length
  if (x.length !== nRows * nIn) throw new RangeError(`expected ${nRows} x ${nIn} values, got ${x.length}`)
  const width = encodedWidth(inputs)
  const out = new Float64Array(nRows * K)
  for (let i = 0; i < nRows; i++) {
    for (let k = 0; k < K; k++) {
      let m = intercept[k]
      let offset = 0
      for (let f = 0; f < nIn; f++) {
        const input = inputs[f]
        const v = x[i * nIn + f]
        if (input.type === 'numeric') {
          if (v === v) m += coef[k * width + offset] * ((v - input.mean) / input.scale)
          offset++
        } else {
          // Non-integer or out-of-range codes are unseen categories: all-zero block.
          if (v >= 0 && v < input.categories.length && Number.isInteger(v)) m += coef[k * width + offset + v]
          offset += input.categories.length
        }
      }
      out[i * K + k] = m
    }
  }
  return out
}

/**
 * Predictions on the response scale for `frame`: values, P(class 1), or class probabilities.
 * @example const p = predictLinear(predictor, frame) // binary: one probability per row
 */
export function predictLinear(model: LinearPredictor, frame: Frame): Float64Array {
  return applyLink(model.link, linearMargins(model, frame), model.nOutputs)
}

/**
 * Predictions on the response scale for row-major values (see {@link linearMarginsRows}).
 * @example const p = predictLinearRows(predictor, Float64Array.of(1.5, 0), 1)
 */
export function predictLinearRows(model: LinearPredictor, x: Float64Array, nRows: number): Float64Array {
  return applyLink(model.link, linearMarginsRows(model, x, nRows), model.nOutputs)
}
