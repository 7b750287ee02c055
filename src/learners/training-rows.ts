/**
 * The rows a booster trains on: local index i (0..n) maps to data row ids[i], and the targets are
 * gathered once into local order, so margins, gradients and row buffers are all kept by local index.
 * The targets are in shared memory, so a learner's threads read them without another copy.
 */
import { DataError } from '../errors.js'

/**
 * The training rows (`rows`, or every row of the data) and their targets in that order; refuses
 * a target of the wrong length, no rows, and rows that are not ascending ids of the data.
 * @example const { ids, y: yLocal } = trainingRows(binned.nRows, y, ctx.rows)
 */
export function trainingRows(nRows: number, y: Float64Array, rows?: Int32Array): { ids: Int32Array; y: Float64Array } {
  if (y.length !== nRows) throw new DataError(`target has ${y.length} values for ${nRows} rows`, { field: 'target' })
  if (rows === undefined) {
    // Every row, in order: nothing to check, and the targets are a plain copy.
    if (nRows === 0) throw new DataError('cannot train on zero rows')
    const ids = new Int32Array(nRows)
    for (let i = 0; i < nRows; i++) ids[i] = i
    const local = sharedFloats(nRows)
    local.set(y)
    return { ids, y: local }
  }
  const n = rows.length
  if (n === 0) throw new DataError('cannot train on zero rows')
  const local = sharedFloats(n)
  for (let i = 0; i < n; i++) {
    if (rows[i] < 0 || rows[i] >= nRows || (i > 0 && rows[i] <= rows[i - 1])) throw new RangeError('training rows must be ascending row ids of the data')
    local[i] = y[rows[i]]
  }
  return { ids: rows, y: local }
}

function sharedFloats(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * n), 0, n)
}
