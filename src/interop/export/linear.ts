/**
 * A linear model's margins as graph arithmetic, its stored preprocessing included: numeric inputs
 * standardised as (x - mean) / scale with a missing value counting 0 (the mean), categorical
 * inputs one-hot against the training categories (missing or unseen: all zeros), then one MatMul
 * with the coefficients and the intercepts added.
 */
import { DataError } from '../../errors.js'
import type { LinearPredictor } from '../../runtime/linear.js'
import type { Columns } from './columns.js'
import type { GraphBuilder } from './graph.js'

/**
 * The raw margins [N, nOutputs] of `model` reading its inputs from `columns`.
 * @example const margins = linearMargins(g, model.predictor, columns)
 */
export function linearMargins(g: GraphBuilder, model: LinearPredictor, columns: Columns): string {
  const { inputs, nOutputs: K, coef, intercept } = model
  const width = coef.length / K
  // Encoded blocks in the order they are concatenated, with the coefficient column each block starts at.
  const numeric: { name: string; mean: number; scale: number; offset: number }[] = []
  const parts: { tensor: string; offsets: number[] }[] = []
  let offset = 0
  for (const input of inputs) {
    if (input.type === 'numeric') {
      numeric.push({ name: input.name, mean: input.mean, scale: input.scale, offset: offset++ })
      continue
    }
    const source = columns.categories(input.name)
    if (source === undefined) throw new DataError(`linear input '${input.name}' is categorical, but its column is numeric`, { field: input.name })
    const code = new Map(source.map((c, i) => [c, i]))
    // A training category the input's dictionary lacks can never match: code -1.
    const codes = input.categories.map((c) => code.get(c) ?? -1)
    const { tensor, index } = columns.matrix([input.name])
    const col = g.columns(tensor, index, -1)
    const hot = g.op('Cast', [g.op('Equal', [col, g.doubles(codes, [1, codes.length], 'categories')])], { to: 11 })
    parts.push({ tensor: hot, offsets: input.categories.map((_, j) => offset + j) })
    offset += input.categories.length
  }
  if (numeric.length > 0) {
    const { tensor, index } = columns.matrix(numeric.map((n) => n.name))
    const x = g.columns(tensor, index, -1)
    const z = g.op('Div', [g.op('Sub', [x, g.doubles(numeric.map((n) => n.mean), [numeric.length], 'mean')]), g.doubles(numeric.map((n) => n.scale), [numeric.length], 'scale')])
    parts.unshift({ tensor: g.op('Where', [g.op('IsNaN', [x]), g.doubles([0], [1]), z]), offsets: numeric.map((n) => n.offset) })
  }
  const order = parts.flatMap((p) => p.offsets)
  const w = new Float64Array(width * K)
  order.forEach((j, row) => {
    for (let k = 0; k < K; k++) w[row * K + k] = coef[k * width + j]
  })
  const encoded = parts.length === 1 ? parts[0].tensor : g.op('Concat', parts.map((p) => p.tensor), { axis: 1 })
  return g.op('Add', [g.op('MatMul', [encoded, g.doubles(w, [width, K], 'coef')]), g.doubles(intercept, [K], 'intercept')])
}
