/**
 * The preprocessing a linear model learns from its training rows: mean and standard deviation of
 * each numeric column (for standardisation and mean imputation) and the categories each
 * categorical column takes (for one-hot encoding).
 */
import type { Column, Frame } from '../../data/frame.js'
import type { LinearInput } from '../../runtime/linear.js'

/**
 * One {@link LinearInput} per column of `frame`, learned from `rows` (all rows when absent).
 * Constant and all-missing numeric columns get scale 1, so they encode to zeros.
 * @example const inputs = fitInputs(frame, fold.train)
 */
export function fitInputs(frame: Frame, rows?: Int32Array): LinearInput[] {
  return frame.columns.map((c) => fitInput(c, rows))
}

function fitInput(column: Column, rows: Int32Array | undefined): LinearInput {
  const n = rows ? rows.length : column.type === 'numeric' ? column.values.length : column.codes.length
  if (column.type === 'categorical') {
    const seen = new Uint8Array(column.categories.length)
    for (let i = 0; i < n; i++) {
      const code = column.codes[rows ? rows[i] : i]
      if (code >= 0) seen[code] = 1
    }
    return { name: column.name, type: 'categorical', categories: column.categories.filter((_, j) => seen[j] === 1) }
  }
  const v = column.values
  let count = 0
  let sum = 0
  let first = NaN
  let constant = true
  for (let i = 0; i < n; i++) {
    const x = v[rows ? rows[i] : i]
    if (x !== x) continue
    if (count === 0) first = x
    else if (x !== first) constant = false
    count++
    sum += x
  }
  if (count === 0) return { name: column.name, type: 'numeric', mean: 0, scale: 1 }
  // An exactly constant column keeps its value as the mean, so it encodes to exact zeros.
  if (constant) return { name: column.name, type: 'numeric', mean: first, scale: 1 }
  const mean = sum / count
  let ss = 0
  for (let i = 0; i < n; i++) {
    const x = v[rows ? rows[i] : i]
    if (x === x) ss += (x - mean) * (x - mean)
  }
  const std = Math.sqrt(ss / count)
  return { name: column.name, type: 'numeric', mean, scale: std > 0 ? std : 1 }
}
