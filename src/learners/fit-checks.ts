/**
 * Checks every learner makes of its fit inputs before training: the target's length, the training
 * rows, and each training row's target (finite; a class id for a classifier).
 */
import { DataError } from '../errors.js'
import type { FitContext } from './types.js'

/**
 * Refuses a target of the wrong length, rows outside the data, no rows, and a training row whose
 * target is not finite or, for a classifier, not a class id in 0 .. nClasses - 1.
 * @example checkFitTargets(y, data.frame.nRows, ctx.rows, ctx)
 */
export function checkFitTargets(y: Float64Array, nRows: number, rows: Int32Array | undefined, ctx: FitContext): void {
  if (y.length !== nRows) throw new DataError(`target has ${y.length} values for ${nRows} rows`, { field: 'y' })
  if (rows) {
    for (let i = 0; i < rows.length; i++) {
      if (!(rows[i] >= 0 && rows[i] < nRows)) throw new DataError(`training row ${rows[i]} is outside 0 .. ${nRows - 1}`, { field: 'rows' })
    }
  }
  const n = rows ? rows.length : nRows
  if (n === 0) throw new DataError('no training rows', { field: 'rows' })
  for (let i = 0; i < n; i++) {
    const r = rows ? rows[i] : i
    const v = y[r]
    if (!Number.isFinite(v)) throw new DataError(`target of row ${r} is ${v}`, { field: 'y' })
    if (ctx.task !== 'regression' && !(Number.isInteger(v) && v >= 0 && v < ctx.nClasses)) {
      throw new DataError(`target of row ${r} is ${v}; a ${ctx.task} target must be a class id in 0 .. ${ctx.nClasses - 1}`, { field: 'y' })
    }
  }
}
